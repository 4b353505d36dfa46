"""Patient records and the clinic's view of a patient's history."""
from __future__ import annotations

import datetime as dt

from aiohttp import web

from labdesk.auth import Principal, clinic_scope
from labdesk.repositories import OrderRepository, PatientRepository, ResultRepository


def _parse_date(raw: str | None, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise web.HTTPBadRequest(reason=f"{field} must be YYYY-MM-DD")


class PatientService:
    def __init__(self, patients: PatientRepository, orders: OrderRepository, results: ResultRepository):
        self.patients = patients
        self.orders = orders
        self.results = results

    @classmethod
    def from_app(cls, app: web.Application) -> "PatientService":
        pool = app["db"]
        return cls(PatientRepository(pool), OrderRepository(pool), ResultRepository(pool))

    async def _owned(self, principal: Principal, patient_id: int):
        patient = await self.patients.get_for_clinic(patient_id, clinic_scope(principal))
        if patient is None:
            raise web.HTTPNotFound(reason="patient not found")
        return patient

    async def search(self, principal: Principal, query: dict, limit: int) -> list[dict]:
        rows = await self.patients.search(
            clinic_scope(principal),
            name=query.get("name"),
            mrn=query.get("mrn"),
            born=_parse_date(query.get("born"), "born"),
            limit=limit,
        )
        return [dict(r) for r in rows]

    async def register(self, principal: Principal, body: dict) -> dict:
        try:
            mrn = str(body["mrn"]).strip()
            name = str(body["full_name"]).strip()
        except KeyError:
            raise web.HTTPBadRequest(reason="mrn and full_name are required")
        born = _parse_date(body.get("birth_date"), "birth_date")
        if not mrn or not name or born is None:
            raise web.HTTPBadRequest(reason="mrn, full_name and birth_date are required")
        row = await self.patients.create(
            clinic_scope(principal), mrn, name, born, body.get("phone"), body.get("email")
        )
        return dict(row)

    async def update(self, principal: Principal, patient_id: int, body: dict) -> dict:
        await self._owned(principal, patient_id)
        row = await self.patients.update(patient_id, clinic_scope(principal), body)
        return dict(row)

    async def timeline(self, principal: Principal, patient_id: int) -> dict:
        patient = await self._owned(principal, patient_id)
        orders = await self.orders.list_for_patient(patient_id, patient["clinic_id"])
        entries = []
        for order in orders:
            tests = await self.orders.tests_for_order(order["id"])
            results = await self.results.list_for_order(order["id"])
            entries.append({
                "order": dict(order),
                "tests": [t["test_code"] for t in tests],
                "results": [dict(r) for r in results if r["status"] == "final"],
            })
        return {"patient": dict(patient), "timeline": entries}

    async def results(self, principal: Principal, patient_id: int) -> list[dict]:
        patient = await self._owned(principal, patient_id)
        rows = await self.results.list_for_patient(patient["id"], patient["clinic_id"])
        return [dict(r) for r in rows]
