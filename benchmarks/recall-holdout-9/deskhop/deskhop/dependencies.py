from __future__ import annotations

import asyncpg
from litestar.datastructures import State
from litestar.di import Provide

from .db import provide_db
from .repositories.bookings import BookingRepository
from .repositories.members import MemberRepository
from .repositories.spaces import SpaceRepository
from .repositories.wallet import WalletRepository
from .services.auth import AuthService
from .services.bookings import BookingService
from .services.calendar import CalendarService
from .services.payflow import PayFlowClient
from .services.wallet import WalletService
from .settings import Settings, get_settings


def provide_members(db: asyncpg.Connection) -> MemberRepository:
    return MemberRepository(db)


def provide_spaces(db: asyncpg.Connection) -> SpaceRepository:
    return SpaceRepository(db)


def provide_bookings(db: asyncpg.Connection) -> BookingRepository:
    return BookingRepository(db)


def provide_wallet(db: asyncpg.Connection) -> WalletRepository:
    return WalletRepository(db)


def provide_payflow(state: State) -> PayFlowClient:
    return state.payflow


def provide_calendar(state: State) -> CalendarService:
    return CalendarService(state.http)


def provide_auth_service(members: MemberRepository, settings: Settings) -> AuthService:
    return AuthService(members, settings)


def provide_booking_service(
    db: asyncpg.Connection,
    bookings: BookingRepository,
    spaces: SpaceRepository,
    wallet: WalletRepository,
    members: MemberRepository,
) -> BookingService:
    return BookingService(db, bookings, spaces, wallet, members)


def provide_wallet_service(
    db: asyncpg.Connection, wallet: WalletRepository, members: MemberRepository, payflow: PayFlowClient
) -> WalletService:
    return WalletService(db, wallet, members, payflow)


DEPENDENCIES = {
    "settings": Provide(get_settings, use_cache=True, sync_to_thread=False),
    "db": Provide(provide_db),
    "members": Provide(provide_members, sync_to_thread=False),
    "spaces": Provide(provide_spaces, sync_to_thread=False),
    "bookings": Provide(provide_bookings, sync_to_thread=False),
    "wallet": Provide(provide_wallet, sync_to_thread=False),
    "payflow": Provide(provide_payflow, sync_to_thread=False),
    "calendar": Provide(provide_calendar, sync_to_thread=False),
    "auth_service": Provide(provide_auth_service, sync_to_thread=False),
    "booking_service": Provide(provide_booking_service, sync_to_thread=False),
    "wallet_service": Provide(provide_wallet_service, sync_to_thread=False),
}
