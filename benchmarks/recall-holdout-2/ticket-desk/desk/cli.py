"""Command line entry point: `ticket-desk serve|init-db|create-admin|prune-events`."""
import argparse
import asyncio
import getpass
import logging
import sys

import asyncpg
from aiohttp import web

from .config import Settings
from .schema import SCHEMA
from .security import hash_password


async def _init_db(settings: Settings) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        async with conn.transaction():
            for statement in SCHEMA:
                await conn.execute(statement)
    finally:
        await conn.close()


async def _create_admin(settings: Settings, org: str, email: str, name: str) -> None:
    password = getpass.getpass("Password: ")
    if len(password) < 10:
        sys.exit("password must be at least 10 characters")
    password_hash = await hash_password(password)
    conn = await asyncpg.connect(settings.database_url)
    try:
        async with conn.transaction():
            org_id = await conn.fetchval("SELECT id FROM organisations WHERE name = $1", org)
            if org_id is None:
                org_id = await conn.fetchval("INSERT INTO organisations (name) VALUES ($1) RETURNING id", org)
            await conn.execute(
                "INSERT INTO users (org_id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, 'admin')",
                org_id, email.lower(), name, password_hash,
            )
    finally:
        await conn.close()
    print(f"created admin {email} in organisation {org} ({org_id})")


async def _prune_events(settings: Settings, days: int) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        result = await conn.execute(
            "DELETE FROM ticket_events WHERE created_at < now() - make_interval(days => $1)", days
        )
        print(f"pruned ticket events: {result}")
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="ticket-desk")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--no-worker", action="store_true")
    sub.add_parser("init-db")
    admin = sub.add_parser("create-admin")
    admin.add_argument("--org", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Administrator")
    prune = sub.add_parser("prune-events")
    prune.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()

    if args.command == "serve":
        from .app import create_app
        web.run_app(create_app(settings, run_worker=not args.no_worker), host=args.host, port=args.port)
    elif args.command == "init-db":
        asyncio.run(_init_db(settings))
    elif args.command == "create-admin":
        asyncio.run(_create_admin(settings, args.org, args.email, args.name))
    elif args.command == "prune-events":
        asyncio.run(_prune_events(settings, args.days))


if __name__ == "__main__":
    main()
