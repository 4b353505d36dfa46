"""Operator commands.

    python -m labdesk.cli schema            # apply schema.sql to an empty database
    python -m labdesk.cli seed --clinics 3  # demo data for local development
    python -m labdesk.cli token 42 --clinic 1 --role clinician
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import pathlib
import random
import sys

import asyncpg
import jwt

from labdesk.config import load_settings

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jin"]
LAST = ["Novak", "Okafor", "Patel", "Quinn", "Rossi", "Sato", "Tanaka", "Urban", "Vega", "Wolfe"]
KIT_TYPES = ["edta", "sst", "urine", "citrate"]


async def apply_schema(dsn: str) -> None:
    sql = (pathlib.Path(__file__).resolve().parent.parent / "schema.sql").read_text()
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def seed(dsn: str, clinics: int, patients_per_clinic: int) -> None:
    rng = random.Random(1234)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for n in range(clinics):
                clinic_id = await conn.fetchval(
                    "INSERT INTO clinics (name, partner_account, credits) VALUES ($1, $2, 500) RETURNING id",
                    f"Demo Clinic {n + 1}",
                    f"DEMO-{n + 1:04d}",
                )
                await conn.executemany(
                    "INSERT INTO kit_stock (clinic_id, kit_type, available) VALUES ($1, $2, 100)",
                    [(clinic_id, kit) for kit in KIT_TYPES],
                )
                await conn.execute(
                    "INSERT INTO staff (clinic_id, email, roles) VALUES ($1, $2, $3)",
                    clinic_id,
                    f"doctor{n + 1}@demo.invalid",
                    ["clinician"],
                )
                rows = []
                for p in range(patients_per_clinic):
                    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 30000))
                    rows.append((clinic_id, f"MRN{n + 1:02d}{p:05d}",
                                 f"{rng.choice(FIRST)} {rng.choice(LAST)}", born))
                await conn.executemany(
                    "INSERT INTO patients (clinic_id, mrn, full_name, birth_date) VALUES ($1, $2, $3, $4)", rows
                )
    finally:
        await conn.close()


def dev_token(user_id: int, clinic_id: int | None, roles: list[str], hours: int) -> str:
    settings = load_settings()
    now = dt.datetime.now(dt.timezone.utc)
    claims = {
        "sub": str(user_id),
        "iss": settings.jwt_issuer,
        "roles": roles,
        "iat": now,
        "exp": now + dt.timedelta(hours=hours),
    }
    if clinic_id is not None:
        claims["clinic"] = clinic_id
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labdesk")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("schema")
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--clinics", type=int, default=2)
    p_seed.add_argument("--patients", type=int, default=50)
    p_tok = sub.add_parser("token")
    p_tok.add_argument("user_id", type=int)
    p_tok.add_argument("--clinic", type=int)
    p_tok.add_argument("--role", action="append", default=[])
    p_tok.add_argument("--hours", type=int, default=8)
    args = parser.parse_args(argv)

    if args.cmd == "token":
        print(dev_token(args.user_id, args.clinic, args.role or ["clinician"], args.hours))
        return 0
    dsn = load_settings().database_dsn
    if args.cmd == "schema":
        asyncio.run(apply_schema(dsn))
    elif args.cmd == "seed":
        asyncio.run(seed(dsn, args.clinics, args.patients))
    return 0


if __name__ == "__main__":
    sys.exit(main())
