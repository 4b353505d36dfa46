import click
import yaml
from sqlalchemy import select, text

from .auth.api_keys import generate_api_key
from .db import get_engine, session_scope
from .models import Account, ApiKey, Part

MAINTENANCE_TABLES = ("orders", "order_lines", "stock_movements")


def register_cli(app):
    @app.cli.command("create-api-key")
    @click.argument("account_id", type=int)
    @click.option("--label", default="integration")
    def create_api_key(account_id, label):
        """Create an API key for an account and print it once."""
        raw, key_hash = generate_api_key()
        with session_scope() as session:
            if session.get(Account, account_id) is None:
                raise click.ClickException(f"no account {account_id}")
            session.add(ApiKey(account_id=account_id, label=label, key_hash=key_hash))
        click.echo(raw)

    @app.cli.command("analyze")
    def analyze():
        """Refresh planner statistics on the busiest tables."""
        with get_engine().connect() as conn:
            for table in MAINTENANCE_TABLES:
                conn.execute(text(f"ANALYZE {table}"))
            conn.commit()
        click.echo("done")

    @app.cli.command("load-list-prices")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def load_list_prices(path):
        """Load list prices from a YAML file of sku: price."""
        with open(path, encoding="utf-8") as fh:
            prices = yaml.safe_load(fh) or {}
        with session_scope() as session:
            parts = {p.sku: p for p in session.scalars(select(Part).where(Part.sku.in_(list(prices))))}
            for sku, price in prices.items():
                if sku in parts:
                    parts[sku].unit_price = price
        click.echo(f"{len(prices)} prices processed")

    @app.cli.command("invoice-accounts")
    def invoice_accounts():
        from .worker.queue import enqueue

        with session_scope() as session:
            ids = session.scalars(select(Account.id).where(Account.is_suspended.is_(False))).all()
        enqueue("partsdepot.worker.jobs.run_monthly_invoicing", list(ids))
        click.echo(f"queued invoicing for {len(ids)} accounts")
