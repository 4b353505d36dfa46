"""Operator command line: ``ledgerctl``."""
import click
from werkzeug.security import generate_password_hash

from . import create_app
from .extensions import db
from .models import Account, User
from .repository import LedgerRepository


@click.group()
def cli():
    """Ledger maintenance commands."""


@cli.command("create-admin")
@click.argument("email")
@click.option("--name", required=True)
def create_admin(email, name):
    app = create_app()
    with app.app_context():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        user = User(
            email=email.lower(),
            full_name=name,
            password_hash=generate_password_hash(password),
            is_admin=True,
        )
        db.session.add(user)
        db.session.commit()
        click.echo(f"created administrator {user.id}")


@cli.command("check-balances")
@click.option("--fix", is_flag=True, help="Rewrite cached balances from the entry journal.")
def check_balances(fix):
    """Compare each account's cached balance with the sum of its journal entries."""
    app = create_app()
    with app.app_context():
        repo = LedgerRepository()
        mismatches = 0
        for account in Account.query.order_by(Account.id).yield_per(500):
            journal_total = repo.ledger_total(account.id)
            if journal_total != account.balance:
                mismatches += 1
                click.echo(f"account {account.id}: cached {account.balance} journal {journal_total}")
                if fix:
                    account.balance = journal_total
        if fix:
            db.session.commit()
        click.echo(f"{mismatches} mismatching accounts")


if __name__ == "__main__":
    cli()
