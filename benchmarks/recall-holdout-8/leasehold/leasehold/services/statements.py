"""Import of bank deposit exports (CSV) to reconcile offline rent payments."""
import csv
import io
import logging
import os
import tempfile
from decimal import Decimal, InvalidOperation

from ..models import Lease, Payment, Property, Unit

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = {"date", "amount", "reference"}


class StatementError(Exception):
    pass


def _parse_rows(handle):
    reader = csv.DictReader(handle)
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
    if missing:
        raise StatementError(f"missing columns: {', '.join(sorted(missing))}")
    rows = []
    for lineno, row in enumerate(reader, start=2):
        try:
            amount = Decimal(row["amount"].replace(",", "").strip())
        except InvalidOperation:
            raise StatementError(f"line {lineno}: bad amount {row['amount']!r}") from None
        rows.append({"date": row["date"].strip(), "amount": amount, "reference": row["reference"].strip()})
    return rows


def parse_upload(upload):
    fd, tmp_path = tempfile.mkstemp(prefix="statement-", suffix=".csv")
    upload.save(tmp_path)
    handle = open(tmp_path, newline="", encoding="utf-8-sig")
    rows = _parse_rows(handle)
    handle.close()
    os.unlink(tmp_path)
    return rows


def match_rows(org_id, rows):
    """Match deposits to leases by the reference tenants put on transfers (LEASE-<id>)."""
    refs = {}
    for row in rows:
        ref = row["reference"].upper()
        if ref.startswith("LEASE-") and ref[6:].isdigit():
            refs.setdefault(int(ref[6:]), []).append(row)
    if not refs:
        return [], rows
    leases = (
        Lease.query.join(Unit, Lease.unit_id == Unit.id)
        .join(Property, Unit.property_id == Property.id)
        .filter(Lease.id.in_(list(refs)), Property.org_id == org_id)
        .all()
    )
    known = {lease.id: lease for lease in leases}
    matched, unmatched = [], []
    for lease_id, lease_rows in refs.items():
        (matched if lease_id in known else unmatched).extend(
            [{**r, "lease": known.get(lease_id)} for r in lease_rows]
        )
    already = {
        p.provider_ref
        for p in Payment.query.filter(Payment.provider_ref.in_([r["reference"] for r in matched])).all()
    }
    matched = [r for r in matched if r["reference"] not in already]
    return matched, unmatched


def preview_csv(rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["date", "amount", "reference"])
    for r in rows:
        writer.writerow([r["date"], r["amount"], r["reference"]])
    return buf.getvalue()
