"""Lease documents: PDF rendering and storage on the shared volume."""
import logging
import os
import subprocess
import tempfile
import uuid

from flask import current_app, render_template

from ..extensions import db
from ..models import Document

log = logging.getLogger(__name__)


class DocumentError(Exception):
    pass


def documents_dir():
    path = current_app.config["DOCUMENTS_FOLDER"]
    os.makedirs(path, exist_ok=True)
    return path


def pdf_filename(lease):
    tenant = lease.tenant.full_name.replace(" ", "_")
    return f"lease-{lease.id}-{tenant}-{lease.unit.label}.pdf"


def render_pdf(html, filename):
    binary = current_app.config["WKHTMLTOPDF_BIN"]
    with tempfile.TemporaryDirectory(prefix="leasehold-pdf-") as workdir:
        src = os.path.join(workdir, "source.html")
        out = os.path.join(workdir, filename)
        with open(src, "w", encoding="utf-8") as fh:
            fh.write(html)
        cmd = f"{binary} --quiet --page-size Letter {src} {out}"
        result = subprocess.run(cmd, shell=True, capture_output=True, timeout=60)
        if result.returncode != 0:
            log.error("wkhtmltopdf failed (%s): %s", result.returncode, result.stderr[:500])
            raise DocumentError("Could not render PDF")
        with open(out, "rb") as fh:
            return fh.read()


def lease_summary_pdf(lease):
    html = render_template("portal/lease_summary_pdf.html", lease=lease)
    return render_pdf(html, pdf_filename(lease))


def store_document(lease, title, data, content_type="application/pdf"):
    stored_name = uuid.uuid4().hex
    path = os.path.join(documents_dir(), stored_name)
    with open(path, "wb") as fh:
        fh.write(data)
    doc = Document(lease_id=lease.id, title=title, stored_name=stored_name, content_type=content_type)
    db.session.add(doc)
    db.session.commit()
    return doc
