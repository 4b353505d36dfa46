import csv

import click
from flask import Flask
from sqlalchemy import select

from .auth import hash_password
from .db import SessionFactory
from .models import User, Vehicle


def register_cli(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("email")
    @click.argument("org_id", type=int)
    @click.password_option()
    def create_admin(email, org_id, password):
        with SessionFactory() as session:
            session.add(User(email=email.lower(), org_id=org_id, role="admin", password_hash=hash_password(password)))
            session.commit()
        click.echo(f"created admin {email}")

    @app.cli.command("import-vehicles")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--org-id", type=int, required=True)
    def import_vehicles(path, org_id):
        with SessionFactory() as session, open(path, newline="") as fh:
            existing = set(session.scalars(select(Vehicle.vin).where(Vehicle.org_id == org_id)))
            added = 0
            for row in csv.DictReader(fh):
                if row["vin"] in existing:
                    continue
                session.add(Vehicle(org_id=org_id, plate=row["plate"], vin=row["vin"], make=row["make"], model=row["model"]))
                added += 1
            session.commit()
        click.echo(f"imported {added} vehicles")

    @app.cli.command("odometer-report")
    def odometer_report():
        with SessionFactory() as session:
            for vehicle in session.scalars(select(Vehicle).order_by(Vehicle.org_id, Vehicle.plate)):
                click.echo(f"{vehicle.org_id}\t{vehicle.plate}\t{vehicle.odometer_km}")
