from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from .models import InvoiceStatus, PaymentStatus, Role

Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2, ge=0)]


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class RefreshRequest(BaseModel):
    refresh_token: str


class OtpVerifyRequest(BaseModel):
    challenge_id: str = Field(max_length=64)
    code: str = Field(pattern=r"^\d{6}$")


class PasswordResetRequest(BaseModel):
    email: EmailStr


class PasswordResetConfirm(BaseModel):
    token: str = Field(max_length=128)
    new_password: str = Field(min_length=12, max_length=128)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str
    locale: str
    timezone: str


class ProfileUpdate(BaseModel):
    # the web client sends the whole settings form; unknown keys are kept so new
    # preference fields do not need a backend release
    model_config = ConfigDict(extra="allow")

    full_name: str | None = Field(default=None, max_length=200)
    locale: str | None = Field(default=None, max_length=10)
    timezone: str | None = Field(default=None, max_length=40)


class OrganizationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
    currency: str
    plan: str


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: int
    role: Role


class MemberRoleUpdate(BaseModel):
    role: Role


class InviteAccept(BaseModel):
    code: str = Field(max_length=32)


class LogoFromUrl(BaseModel):
    url: HttpUrl


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    email: EmailStr
    tax_id: str | None = Field(default=None, max_length=40)


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: EmailStr
    tax_id: str | None
    credit_balance: Decimal


class InvoiceLineIn(BaseModel):
    description: str = Field(max_length=500)
    quantity: Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=3)]
    unit_price: Money
    tax_rate: Annotated[Decimal, Field(ge=0, le=1, max_digits=5, decimal_places=4)] = Decimal("0")


class InvoiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: int
    issue_date: date
    due_date: date
    notes: str = Field(default="", max_length=4000)
    lines: list[InvoiceLineIn] = Field(min_length=1, max_length=200)


class InvoiceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_date: date | None = None
    notes: str | None = Field(default=None, max_length=4000)


class InvoiceLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    status: InvoiceStatus
    currency: str
    issue_date: date
    due_date: date
    total: Decimal
    amount_paid: Decimal
    customer: CustomerOut
    lines: list[InvoiceLineOut]


class InvoiceSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    status: InvoiceStatus
    total: Decimal
    due_date: date


class PublicInvoiceOut(BaseModel):
    number: int
    organization: str
    currency: str
    total: Decimal
    amount_paid: Decimal
    due_date: date
    lines: list[InvoiceLineOut]


class PayInvoiceRequest(BaseModel):
    payment_method: str = Field(max_length=64)


class RefundRequest(BaseModel):
    amount: float = Field(gt=0)
    reason: str = Field(default="requested_by_customer", max_length=100)


class ApplyCreditRequest(BaseModel):
    amount: Money


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    invoice_id: int
    amount_cents: int
    currency: str
    status: PaymentStatus
    refunded_cents: int


class AgingBucket(BaseModel):
    bucket: str
    invoices: int
    outstanding: Decimal


class CollectionStats(BaseModel):
    avg_days_to_pay: float
    on_time_ratio: float
