from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from meterly.models import InvoiceStatus, Plan


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(StrictModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=128)


class RefreshIn(StrictModel):
    refresh_token: str = Field(max_length=2048)


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class UsageEventIn(StrictModel):
    meter: str = Field(min_length=1, max_length=64)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    customer_ref: str = Field(max_length=64)
    idempotency_key: str = Field(min_length=8, max_length=64)
    occurred_at: datetime


class UsageBatchIn(StrictModel):
    events: list[UsageEventIn] = Field(min_length=1, max_length=500)


class UsageEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    meter_id: int
    quantity: Decimal
    customer_ref: str
    occurred_at: datetime


class UsageSummaryRow(BaseModel):
    meter: str
    quantity: Decimal
    amount: Decimal


class InvoiceLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    meter_key: str
    quantity: Decimal
    amount: Decimal


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    status: InvoiceStatus
    total: Decimal
    period_start: datetime
    period_end: datetime
    lines: list[InvoiceLineOut] = []


class OrgOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    plan: Plan
    credit_balance: Decimal
    billing_email: str


class OrgUpdateIn(StrictModel):
    name: str | None = Field(default=None, max_length=120)
    billing_email: EmailStr | None = None


class ApiKeyIn(StrictModel):
    label: str = Field(min_length=1, max_length=80)


class ApiKeyCreatedOut(BaseModel):
    id: int
    prefix: str
    key: str


class WebhookIn(StrictModel):
    url: HttpUrl


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    active: bool


class TopupIn(StrictModel):
    amount: Decimal = Field(gt=0, le=Decimal("10000"), decimal_places=2)
    payment_method: str = Field(max_length=64)


class CreditGrantIn(StrictModel):
    amount: Decimal = Field(gt=0, le=Decimal("50000"), decimal_places=2)
    reason: str = Field(max_length=80)


class PlanChangeIn(StrictModel):
    plan: Plan


class TransferIn(StrictModel):
    to_org_id: int
    amount: Decimal = Field(gt=0, decimal_places=2)
