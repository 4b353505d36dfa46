import getpass
import hashlib
import os

import click
import yaml
from flask import Flask, current_app

from clinicdesk.auth import hash_password
from clinicdesk.extensions import db
from clinicdesk.models import ROLES, ApiSession, Clinic, Document, Staff


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_staff)
    app.cli.add_command(load_clinics)
    app.cli.add_command(purge_sessions)
    app.cli.add_command(backfill_checksums)


@click.command("create-staff")
@click.argument("email")
@click.option("--clinic-id", type=int, required=True)
@click.option("--role", type=click.Choice(ROLES), default="reception")
@click.option("--name", default="")
def create_staff(email: str, clinic_id: int, role: str, name: str) -> None:
    """Create a staff account; prompts for the password."""
    password = getpass.getpass("Password: ")
    if len(password) < 12:
        raise click.ClickException("password must be at least 12 characters")
    staff = Staff(
        clinic_id=clinic_id,
        email=email.lower(),
        full_name=name or email,
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(staff)
    db.session.commit()
    click.echo(f"created staff #{staff.id} ({role})")


@click.command("load-clinics")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def load_clinics(path: str) -> None:
    """Seed clinics from a YAML file kept in the ops repo."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or []
    for entry in data:
        clinic = db.session.get(Clinic, entry["id"]) or Clinic(id=entry["id"])
        clinic.name = entry["name"]
        clinic.timezone = entry.get("timezone", "Europe/London")
        db.session.add(clinic)
    db.session.commit()
    click.echo(f"{len(data)} clinics loaded")


@click.command("purge-sessions")
def purge_sessions() -> None:
    """Delete revoked sessions (cron, nightly)."""
    deleted = ApiSession.query.filter(ApiSession.revoked.is_(True)).delete()
    db.session.commit()
    click.echo(f"{deleted} sessions purged")


@click.command("backfill-checksums")
def backfill_checksums() -> None:
    """One-off (release 2.3): fill documents.checksum for files uploaded before it existed."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    docs = Document.query.filter(Document.checksum == "").all()
    for doc in docs:
        with open(os.path.join(upload_dir, doc.storage_name), "rb") as fh:
            doc.checksum = hashlib.md5(fh.read()).hexdigest()
        db.session.commit()
    click.echo(f"{len(docs)} documents updated")
