import os
import subprocess
from datetime import datetime
from decimal import Decimal

import click
import yaml
from flask import current_app

from .extensions import db
from .models import ROLE_ADMIN, ROLE_MANAGER, ROLE_TENANT, Organization, Property, Unit, User


def register_cli(app):
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice([ROLE_TENANT, ROLE_MANAGER, ROLE_ADMIN]), default=ROLE_TENANT)
    @click.option("--org-id", type=int)
    @click.password_option()
    def create_user(email, name, role, org_id, password):
        """Create a user account."""
        user = User(email=email.strip().lower(), full_name=name, role=role, org_id=org_id)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"created user {user.id} ({role})")

    @app.cli.command("import-properties")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--org-id", type=int, required=True)
    def import_properties(path, org_id):
        """Load properties and units from a YAML portfolio file."""
        org = db.session.get(Organization, org_id)
        if org is None:
            raise click.ClickException(f"organization {org_id} not found")
        with open(path, encoding="utf-8") as fh:
            portfolio = yaml.safe_load(fh) or {}
        created = 0
        for item in portfolio.get("properties", []):
            prop = Property(org_id=org.id, name=item["name"], address=item["address"], city=item["city"])
            for u in item.get("units", []):
                prop.units.append(
                    Unit(
                        label=str(u["label"]),
                        bedrooms=int(u.get("bedrooms", 1)),
                        bathrooms=Decimal(str(u.get("bathrooms", 1))),
                        monthly_rent=Decimal(str(u["rent"])),
                    )
                )
            db.session.add(prop)
            created += 1
        db.session.commit()
        click.echo(f"imported {created} properties")

    @app.cli.command("backup-db")
    @click.option("--out-dir", default="/var/backups/leasehold", show_default=True)
    def backup_db(out_dir):
        """pg_dump the database to a timestamped file."""
        os.makedirs(out_dir, exist_ok=True)
        target = os.path.join(out_dir, f"leasehold-{datetime.utcnow():%Y%m%d-%H%M%S}.dump")
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", target, current_app.config["SQLALCHEMY_DATABASE_URI"]],
            check=True,
        )
        click.echo(target)
