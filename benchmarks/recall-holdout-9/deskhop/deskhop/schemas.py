from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Credits = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Annotated[str, msgspec.Meta(max_length=256)]


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    invite_token: Annotated[str, msgspec.Meta(max_length=128)]
    email: Email
    full_name: Name
    password: Annotated[str, msgspec.Meta(min_length=10, max_length=256)]


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str = "bearer"


class BookingIn(msgspec.Struct, forbid_unknown_fields=True):
    desk_id: int
    starts_at: datetime
    ends_at: datetime
    note: Annotated[str, msgspec.Meta(max_length=280)] | None = None


class RescheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    starts_at: datetime
    ends_at: datetime


class TopUpIn(msgspec.Struct, forbid_unknown_fields=True):
    credits: Credits
    payment_method: Annotated[str, msgspec.Meta(max_length=64)]


class TransferIn(msgspec.Struct, forbid_unknown_fields=True):
    to_member_id: int
    credits: Credits


class RoleIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Literal["member", "manager", "admin"]


class InviteIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    role: Literal["member", "manager"] = "member"


class CalendarHookIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(max_length=500)]
    secret: Annotated[str, msgspec.Meta(max_length=128)] | None = None


class SpaceIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    floor: Annotated[int, msgspec.Meta(ge=-5, le=200)]
    hourly_credits: Annotated[int, msgspec.Meta(ge=0, le=10_000)]
    amenities: list[Annotated[str, msgspec.Meta(max_length=32)]] = []


class MemberOut(msgspec.Struct):
    id: int
    email: str
    full_name: str
    role: str


class BookingOut(msgspec.Struct):
    id: int
    desk_id: int
    desk_label: str
    space_name: str
    starts_at: datetime
    ends_at: datetime
    status: str
    credits: int


class PriceQuote(msgspec.Struct):
    credits: int
    eur: Decimal
    vat: Decimal
