from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator


class UserBase(BaseModel):
    email: EmailStr
    full_name: str = Field(min_length=1, max_length=200)
    is_staff: bool = False


class UserCreate(UserBase):
    password: str = Field(min_length=12, max_length=128)


class UserOut(UserBase):
    model_config = ConfigDict(from_attributes=True)
    id: int


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class PropertyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    city: str
    max_guests: int
    nightly_rate: Decimal
    currency: str


class BookingCreate(BaseModel):
    property_id: int
    check_in: date
    check_out: date
    guests: int = Field(ge=1, le=16)

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.check_out <= self.check_in:
            raise ValueError("check_out must be after check_in")
        if (self.check_out - self.check_in).days > 60:
            raise ValueError("stays are limited to 60 nights")
        return self


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    property_id: int
    check_in: date
    check_out: date
    guests: int
    status: str
    total_price: Decimal
    amount_paid: Decimal
    currency: str


class PaymentCreate(BaseModel):
    booking_id: int
    amount: float = Field(gt=0, description="Amount to charge now, in the booking currency")
    payment_method_id: str = Field(min_length=3, max_length=64)


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    booking_id: int
    amount_cents: int
    currency: str
    status: str


class RefundRequest(BaseModel):
    request_id: UUID
    amount_cents: int = Field(gt=0)
    reason: str = Field(max_length=500)
