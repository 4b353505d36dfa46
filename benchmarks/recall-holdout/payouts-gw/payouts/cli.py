import hashlib
import secrets
from decimal import Decimal

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select, update

from .db import get_engine
from .tables import ledger, merchants

payouts_cli = AppGroup("payouts", help="Payout gateway maintenance commands.")


@payouts_cli.command("rotate-key")
@click.argument("merchant_id", type=int)
@with_appcontext
def rotate_key(merchant_id: int) -> None:
    key = "pk_" + secrets.token_urlsafe(32)
    with get_engine().begin() as conn:
        conn.execute(
            update(merchants)
            .where(merchants.c.id == merchant_id)
            .values(api_key_hash=hashlib.sha256(key.encode()).hexdigest())
        )
    click.echo(key)


@payouts_cli.command("ledger-check")
@with_appcontext
def ledger_check() -> None:
    engine = get_engine()
    with engine.connect() as conn:
        for m in conn.execute(select(merchants.c.id, merchants.c.name)).mappings():
            total = conn.execute(
                select(func.coalesce(func.sum(ledger.c.delta), 0)).where(ledger.c.merchant_id == m["id"])
            ).scalar_one()
            if Decimal(total) < 0:
                click.echo(f"merchant {m['id']} ({m['name']}): negative ledger {total}")
