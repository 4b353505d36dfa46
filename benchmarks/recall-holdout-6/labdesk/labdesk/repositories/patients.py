"""Patients registered by a clinic."""
from __future__ import annotations

import datetime as dt

import asyncpg

PATIENT_COLUMNS = "id, clinic_id, mrn, full_name, birth_date, phone, email, created_at"
EDITABLE_FIELDS = ("full_name", "phone", "email")


class PatientRepository:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def get_for_clinic(self, patient_id: int, clinic_id: int) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            f"SELECT {PATIENT_COLUMNS} FROM patients WHERE id = $1 AND clinic_id = $2",
            patient_id,
            clinic_id,
        )

    async def search(
        self,
        clinic_id: int,
        *,
        name: str | None = None,
        mrn: str | None = None,
        born: dt.date | None = None,
        limit: int = 50,
    ) -> list[asyncpg.Record]:
        clauses = ["clinic_id = $1"]
        args: list = [clinic_id]
        if name:
            args.append(f"%{name}%")
            clauses.append(f"full_name ILIKE ${len(args)}")
        if mrn:
            args.append(mrn)
            clauses.append(f"mrn = ${len(args)}")
        if born:
            args.append(born)
            clauses.append(f"birth_date = ${len(args)}")
        args.append(limit)
        sql = (
            f"SELECT {PATIENT_COLUMNS} FROM patients WHERE {' AND '.join(clauses)} "
            f"ORDER BY full_name LIMIT ${len(args)}"
        )
        return await self.pool.fetch(sql, *args)

    async def create(self, clinic_id: int, mrn: str, full_name: str, birth_date: dt.date,
                     phone: str | None, email: str | None) -> asyncpg.Record:
        return await self.pool.fetchrow(
            "INSERT INTO patients (clinic_id, mrn, full_name, birth_date, phone, email) "
            f"VALUES ($1, $2, $3, $4, $5, $6) RETURNING {PATIENT_COLUMNS}",
            clinic_id,
            mrn,
            full_name,
            birth_date,
            phone,
            email,
        )

    async def update(self, patient_id: int, clinic_id: int, changes: dict) -> asyncpg.Record | None:
        fields = [f for f in EDITABLE_FIELDS if f in changes]
        if not fields:
            return await self.get_for_clinic(patient_id, clinic_id)
        assignments = ", ".join(f"{f} = ${i}" for i, f in enumerate(fields, start=3))
        return await self.pool.fetchrow(
            f"UPDATE patients SET {assignments} WHERE id = $1 AND clinic_id = $2 RETURNING {PATIENT_COLUMNS}",
            patient_id,
            clinic_id,
            *[changes[f] for f in fields],
        )
