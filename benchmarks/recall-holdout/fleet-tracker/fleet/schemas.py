from datetime import datetime
from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class VehicleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plate: str
    label: str
    status: str
    odometer_km: int
    driver_name: Optional[str] = None


class PositionIn(BaseModel):
    recorded_at: datetime
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    speed_kph: float = Field(default=0, ge=0, le=300)


class PositionOut(PositionIn):
    model_config = ConfigDict(from_attributes=True)


class TripCreate(BaseModel):
    vehicle_id: int
    origin: str = Field(max_length=200)
    destination: str = Field(max_length=200)


class TripOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    vehicle_id: int
    driver_id: Optional[int]
    origin: str
    destination: str
    status: str
    started_at: Optional[datetime]
    finished_at: Optional[datetime]


class FuelTransactionIn(BaseModel):
    provider_ref: str = Field(max_length=64)
    card_ref: str = Field(max_length=32)
    litres: Decimal = Field(gt=0, max_digits=8, decimal_places=2)
    amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    currency: str = Field(min_length=3, max_length=3)
    occurred_at: datetime


class RoleChange(BaseModel):
    role: str = Field(pattern="^(dispatcher|manager|admin)$")


class WebhookTest(BaseModel):
    url: HttpUrl
    event: str = "trip.finished"
