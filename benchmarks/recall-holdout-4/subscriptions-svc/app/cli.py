"""Operator commands: `python -m app.cli --help`."""
import asyncio
from datetime import datetime, timezone

import typer
from sqlalchemy import select, update

from app.db import SessionLocal, engine
from app.models import Organization, Subscription, User
from app.security import hash_password

cli = typer.Typer(no_args_is_help=True)


async def _create_admin(email: str, full_name: str, password: str, org_name: str) -> int:
    async with SessionLocal() as session:
        async with session.begin():
            existing = (await session.execute(select(User).where(User.email == email.lower()))).scalar_one_or_none()
            if existing is not None:
                existing.role = "admin"
                return existing.id
            org = Organization(name=org_name)
            session.add(org)
            await session.flush()
            user = User(org_id=org.id, email=email.lower(), full_name=full_name, role="admin",
                        password_hash=hash_password(password))
            session.add(user)
            await session.flush()
            return user.id


@cli.command()
def create_admin(email: str, full_name: str = "", org_name: str = "Operations",
                 password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True)):
    user_id = asyncio.run(_create_admin(email, full_name, password, org_name))
    typer.echo(f"admin user id {user_id}")


async def _expire_lapsed(batch_size: int, pause: float) -> int:
    total = 0
    now = datetime.now(timezone.utc)
    try:
        while True:
            async with SessionLocal() as session:
                ids = (
                    await session.execute(
                        select(Subscription.id)
                        .where(Subscription.status == "canceled", Subscription.current_period_end < now)
                        .limit(batch_size)
                    )
                ).scalars().all()
                if not ids:
                    break
                await session.execute(update(Subscription).where(Subscription.id.in_(ids)).values(status="expired"))
                await session.commit()
            total += len(ids)
            await asyncio.sleep(pause)
    finally:
        await engine.dispose()
    return total


@cli.command()
def expire_lapsed(batch_size: int = 500, pause: float = 0.2):
    typer.echo(f"expired {asyncio.run(_expire_lapsed(batch_size, pause))} subscriptions")


if __name__ == "__main__":
    cli()
