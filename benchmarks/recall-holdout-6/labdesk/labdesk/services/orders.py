"""Placing lab orders for a clinic and forwarding them to the partner lab."""
from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import aiohttp
from aiohttp import web

from labdesk.auth import Principal, clinic_scope
from labdesk.clients import PartnerLabClient, PartnerLabError
from labdesk.repositories import ClinicRepository, KitRepository, OrderRepository, PatientRepository
from labdesk.repositories.clinics import InsufficientCredits
from labdesk.repositories.kits import OutOfKits
from labdesk.repositories.orders import NewTest

log = logging.getLogger(__name__)

MAX_TESTS_PER_ORDER = 25
PRIORITIES = {"routine", "urgent", "stat"}
TIER_MULTIPLIER = {"standard": Decimal("1.00"), "partner": Decimal("0.85"), "research": Decimal("0.70")}
CATALOGUE = {
    "CBC": (Decimal("18.50"), "edta"),
    "BMP": (Decimal("22.00"), "sst"),
    "CMP": (Decimal("29.75"), "sst"),
    "LIPID": (Decimal("24.10"), "sst"),
    "HBA1C": (Decimal("31.40"), "edta"),
    "TSH": (Decimal("27.90"), "sst"),
    "UA": (Decimal("9.60"), "urine"),
    "PT-INR": (Decimal("14.25"), "citrate"),
}
CENT = Decimal("0.01")


@dataclass
class OrderInput:
    patient_id: int
    test_codes: list[str]
    priority: str

    @classmethod
    def from_body(cls, body: dict) -> "OrderInput":
        try:
            patient_id = int(body["patient_id"])
            codes = [str(c).upper() for c in body["tests"]]
        except (KeyError, TypeError, ValueError):
            raise web.HTTPBadRequest(reason="patient_id and tests are required")
        if not codes or len(codes) > MAX_TESTS_PER_ORDER:
            raise web.HTTPBadRequest(reason=f"between 1 and {MAX_TESTS_PER_ORDER} tests")
        unknown = [c for c in codes if c not in CATALOGUE]
        if unknown:
            raise web.HTTPBadRequest(reason=f"unknown tests: {', '.join(sorted(set(unknown)))}")
        priority = body.get("priority", "routine")
        if priority not in PRIORITIES:
            raise web.HTTPBadRequest(reason="bad priority")
        return cls(patient_id=patient_id, test_codes=codes, priority=priority)


def price_for(code: str, tier: str) -> Decimal:
    base, _tube = CATALOGUE[code]
    return (base * TIER_MULTIPLIER.get(tier, Decimal("1.00"))).quantize(CENT, rounding=ROUND_HALF_UP)


def new_accession_no() -> str:
    return "LD" + secrets.token_hex(5).upper()


class OrderService:
    def __init__(self, orders: OrderRepository, patients: PatientRepository, clinics: ClinicRepository,
                 kits: KitRepository, partner: PartnerLabClient):
        self.orders = orders
        self.patients = patients
        self.clinics = clinics
        self.kits = kits
        self.partner = partner

    @classmethod
    def from_app(cls, app: web.Application) -> "OrderService":
        pool = app["db"]
        return cls(OrderRepository(pool), PatientRepository(pool), ClinicRepository(pool),
                   KitRepository(pool), app["partner"])

    async def list_orders(self, principal: Principal, *, status: str | None, sort: str,
                          limit: int, offset: int) -> list[dict]:
        clinic_id = clinic_scope(principal)
        rows = await self.orders.list_for_clinic(clinic_id, status=status, sort=sort, limit=limit, offset=offset)
        tests = await self.orders.tests_for_orders([r["id"] for r in rows])
        return [
            {**dict(r), "tests": [t["test_code"] for t in tests[r["id"]]]}
            for r in rows
        ]

    async def get_order(self, principal: Principal, order_id: int) -> dict:
        order = await self.orders.get_for_clinic(order_id, clinic_scope(principal))
        if order is None:
            raise web.HTTPNotFound(reason="order not found")
        tests = await self.orders.tests_for_order(order_id)
        return {**dict(order), "tests": [dict(t) for t in tests]}

    async def place_order(self, principal: Principal, data: OrderInput, idempotency_key: str | None) -> tuple[dict, bool]:
        clinic_id = clinic_scope(principal)
        if idempotency_key:
            existing = await self.orders.find_by_idempotency_key(clinic_id, idempotency_key)
            if existing is not None:
                return dict(existing), False

        patient = await self.patients.get_for_clinic(data.patient_id, clinic_id)
        if patient is None:
            raise web.HTTPNotFound(reason="patient not found")
        clinic = await self.clinics.get(clinic_id)

        tubes = sorted({CATALOGUE[c][1] for c in data.test_codes})
        reserved: list[str] = []
        try:
            for tube in tubes:
                await self.kits.reserve(clinic_id, tube)
                reserved.append(tube)
            await self.clinics.debit_credits(clinic_id, len(data.test_codes))
        except (OutOfKits, InsufficientCredits) as exc:
            for tube in reserved:
                await self.kits.restock(clinic_id, tube, 1)
            if isinstance(exc, OutOfKits):
                raise web.HTTPConflict(reason=f"no kits left: {exc}")
            raise web.HTTPPaymentRequired(reason="not enough test credits")

        tests = [NewTest(code, price_for(code, clinic["price_tier"])) for code in data.test_codes]
        order = await self.orders.create(
            clinic_id=clinic_id,
            patient_id=patient["id"],
            accession_no=new_accession_no(),
            priority=data.priority,
            ordered_by=principal.user_id,
            idempotency_key=idempotency_key,
            tests=tests,
        )
        await self._forward(order, patient, tests)
        return dict(order), True

    async def _forward(self, order, patient, tests: list[NewTest]) -> None:
        payload = {
            "accession": order["accession_no"],
            "priority": order["priority"],
            "patient": {"mrn": patient["mrn"], "dob": patient["birth_date"].isoformat()},
            "tests": [t.test_code for t in tests],
        }
        try:
            ref = await self.partner.submit_order(payload, idempotency_key=order["accession_no"])
        except (PartnerLabError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            # left as 'new'; the worker re-submits with the same accession key
            log.warning("order %s not forwarded to partner: %r", order["id"], exc)
            return
        await self.orders.set_submitted(order["id"], ref)

    async def resubmit_pending(self) -> int:
        sent = 0
        for order in await self.orders.pending_submission(limit=50):
            patient = await self.patients.get_for_clinic(order["patient_id"], order["clinic_id"])
            tests = [NewTest(t["test_code"], t["price"]) for t in await self.orders.tests_for_order(order["id"])]
            await self._forward(order, patient, tests)
            sent += 1
        return sent
