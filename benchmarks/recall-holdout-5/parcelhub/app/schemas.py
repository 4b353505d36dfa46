from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from app.models import OrderStatus, Role


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LoginIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class RefreshIn(BaseModel):
    refresh_token: str = Field(max_length=4096)


class PasswordResetRequestIn(BaseModel):
    email: EmailStr


class PasswordResetConfirmIn(BaseModel):
    token: str = Field(min_length=16, max_length=64)
    new_password: str = Field(min_length=10, max_length=256)


class UserOut(ORMModel):
    id: int
    email: EmailStr
    full_name: str
    role: Role
    created_at: datetime


class UserProfileUpdate(BaseModel):
    full_name: str | None = Field(default=None, max_length=120)


class ProductOut(ORMModel):
    id: int
    sku: str
    name: str
    category: str
    price: Decimal
    stock: int


class ProductUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    price: Decimal | None = Field(default=None, gt=0, le=100000)
    is_listed: bool | None = None


class OrderItemIn(BaseModel):
    product_id: int
    quantity: int = Field(gt=0, le=500)


class OrderCreate(BaseModel):
    items: list[OrderItemIn] = Field(min_length=1, max_length=100)
    shipping_address: str = Field(min_length=5, max_length=1000)
    pay_with_wallet: bool = False


class OrderItemOut(ORMModel):
    product_id: int
    quantity: int
    unit_price: Decimal


class OrderOut(ORMModel):
    id: int
    public_id: str
    status: OrderStatus
    total: Decimal
    shipping_address: str
    tracking_number: str | None
    created_at: datetime
    items: list[OrderItemOut] = []


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: int | None


class TopUpIn(BaseModel):
    amount: Decimal = Field(gt=0, le=10000, decimal_places=2)
    payment_method_id: str = Field(max_length=64)


class WalletOut(ORMModel):
    balance: Decimal


class RefundIn(BaseModel):
    reason: str = Field(max_length=500)
    to_wallet: bool = True


class WebhookCreate(BaseModel):
    url: HttpUrl
    events: list[str] = Field(default_factory=lambda: ["order.updated"], max_length=10)


class WebhookTestIn(BaseModel):
    url: str = Field(max_length=500)
    event: str = "ping"


class ExportOut(ORMModel):
    id: str
    status: str
    filename: str | None
