from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field

T = TypeVar("T")


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int


class LoginIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class PasswordResetRequest(BaseModel):
    email: EmailStr


class PasswordResetConfirm(BaseModel):
    token: str = Field(min_length=20, max_length=128)
    new_password: str = Field(min_length=10, max_length=256)


class UserOut(ORMModel):
    id: int
    email: EmailStr
    full_name: str
    role: str
    credit_balance: Decimal
    created_at: datetime


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str | None = Field(default=None, max_length=120)
    marketing_opt_in: bool | None = None


class BillingProfileIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    country: str = Field(min_length=2, max_length=2, pattern=r"^[A-Z]{2}$")
    vat_number: str = Field(min_length=4, max_length=20, pattern=r"^[A-Z0-9]+$")


class PlanOut(ORMModel):
    code: str
    name: str
    price: Decimal
    currency: str
    interval: str
    trial_days: int


class PlanUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=120)
    price: Decimal | None = Field(default=None, gt=0, max_digits=10, decimal_places=2)
    is_public: bool | None = None


class SubscriptionCreate(BaseModel):
    plan_code: str = Field(max_length=40)
    coupon_code: str | None = Field(default=None, max_length=40)


class SubscriptionOut(ORMModel):
    id: int
    status: str
    current_period_end: datetime
    plan: PlanOut


class InvoiceOut(ORMModel):
    model_config = ConfigDict(from_attributes=True, json_encoders={Decimal: str})

    id: int
    subscription_id: int
    amount: Decimal
    currency: str
    status: str
    created_at: datetime
    paid_at: datetime | None


class CreditGrant(BaseModel):
    user_ids: list[int] = Field(min_length=1, max_length=500)
    amount: Decimal = Field(gt=0, le=1000, decimal_places=2)
    reason: str = Field(max_length=200)


class RefundIn(BaseModel):
    reason: str = Field(max_length=200)
