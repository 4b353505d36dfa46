from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
)

from app.models import PayoutStatus, Role, SellerStatus

Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2, gt=0)]
CurrencyCode = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class SellerSignup(BaseModel):
    email: EmailStr
    password: str = Field(min_length=12, max_length=128)
    display_name: str = Field(min_length=1, max_length=120)
    country: str = Field(min_length=2, max_length=2)
    currency: CurrencyCode = "USD"


class SellerOut(ORMModel):
    id: str
    email: EmailStr
    display_name: str
    legal_name: str | None
    country: str
    currency: str
    status: SellerStatus
    fee_rate_bps: int
    payout_schedule: str
    created_at: datetime


class SellerAdminOut(SellerOut):
    role: Role
    risk_score: float
    provider_account_id: str | None


class SellerUpdate(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    legal_name: str | None = Field(default=None, max_length=200)
    payout_schedule: Literal["daily", "weekly", "monthly"] | None = None


class BankAccountCreate(BaseModel):
    holder_name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2)
    account_number: str = Field(min_length=4, max_length=34)
    routing_number: str | None = Field(default=None, max_length=16)
    make_default: bool = True


class BankAccountOut(ORMModel):
    id: str
    holder_name: str
    country: str
    last4: str
    is_default: bool
    created_at: datetime


class KycFromUrl(BaseModel):
    kind: Literal["passport", "id_card", "business_registration", "bank_statement"]
    document_url: HttpUrl


class KycDocumentOut(ORMModel):
    id: str
    kind: str
    content_type: str
    status: str
    created_at: datetime


class BalanceOut(ORMModel):
    currency: str
    available: Decimal
    pending: Decimal


class LedgerEntryOut(ORMModel):
    id: int
    kind: str
    amount: Decimal
    currency: str
    reference: str | None
    memo: str | None
    created_at: datetime


class PayoutCreate(BaseModel):
    amount: Money
    currency: CurrencyCode
    bank_account_id: str = Field(max_length=36)
    instant: bool = False


class PayoutOut(ORMModel):
    id: str
    amount: Decimal
    fee: Decimal
    currency: str
    status: PayoutStatus
    instant: bool
    failure_reason: str | None
    created_at: datetime


class PayoutEventOut(ORMModel):
    id: int
    status: str
    detail: dict | None
    created_at: datetime


class PayoutPage(BaseModel):
    items: list[PayoutOut]
    next_cursor: str | None = None


class AdminPayoutRow(BaseModel):
    payout_id: str
    seller_id: str
    seller_name: str
    amount: Decimal
    currency: str
    status: PayoutStatus
    risk_score: float


class RefundCreate(BaseModel):
    order_ref: str = Field(min_length=1, max_length=64)
    amount: Money
    currency: CurrencyCode
    reason: str | None = Field(default=None, max_length=255)


class RefundOut(ORMModel):
    id: str
    order_ref: str
    amount: Decimal
    currency: str
    status: str
    created_at: datetime


class WebhookEndpointCreate(BaseModel):
    url: HttpUrl
    event_types: list[Literal["payout.paid", "payout.failed", "refund.succeeded", "balance.updated"]] = Field(
        min_length=1, max_length=4
    )


class WebhookEndpointOut(ORMModel):
    id: str
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str


class StatementLine(BaseModel):
    created_at: datetime
    kind: str
    amount: Decimal
    currency: str
    reference: str | None
    memo: str | None


class PayoutSummary(BaseModel):
    status: str
    count: int
    total: Decimal


class FxQuote(BaseModel):
    base: CurrencyCode
    quote: CurrencyCode
    rate: Decimal
    as_of: datetime
