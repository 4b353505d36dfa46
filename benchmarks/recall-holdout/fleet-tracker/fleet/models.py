from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.ext.asyncio import AsyncAttrs


class Base(AsyncAttrs, DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(index=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="dispatcher")
    full_name: Mapped[str] = mapped_column(String(120))


class Vehicle(Base):
    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(index=True)
    plate: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(16), default="available")
    odometer_km: Mapped[int] = mapped_column(default=0)
    driver_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    fuel_card_ref: Mapped[Optional[str]] = mapped_column(String(32), unique=True)

    driver: Mapped[Optional[User]] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "plate"),)


class Position(Base):
    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"))
    recorded_at: Mapped[datetime]
    lat: Mapped[float]
    lon: Mapped[float]
    speed_kph: Mapped[float] = mapped_column(default=0.0)


class Trip(Base):
    __tablename__ = "trips"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column()
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    driver_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    origin: Mapped[str] = mapped_column(String(200))
    destination: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    started_at: Mapped[Optional[datetime]]
    finished_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    vehicle: Mapped[Vehicle] = relationship()
    driver: Mapped[Optional[User]] = relationship()

    __table_args__ = (Index("ix_trips_company_status", "company_id", "status"),)


class FuelTransaction(Base):
    __tablename__ = "fuel_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    provider_ref: Mapped[str] = mapped_column(String(64))
    litres: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3))
    occurred_at: Mapped[datetime]


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[str] = mapped_column(String(200), default="trip.finished")
