"""RQ jobs. Each job opens its own session; nothing here runs inside a request."""
import csv
import io
import logging
import os
import random
import time
from datetime import datetime, timezone

from ..clients import make_client
from ..clients.erp import ErpError
from ..db import SessionLocal, session_scope
from ..models import Order, Part, SupplierCredential, User
from ..repositories import OrderRepository
from ..services.catalog_import import parse_catalog, upsert_articles
from ..services.invoicing import invoice_shipped_orders
from ..services.secrets_box import encrypt_blob, encrypt_secret
from .app_context import with_app_context

log = logging.getLogger(__name__)


@with_app_context
def sync_order_to_erp(order_id):
    with session_scope() as session:
        order = OrderRepository(session).get(order_id)
        if order is None or order.erp_synced_at is not None:
            return None
        try:
            document_no = make_client("erp").push_order(order)
        except ErpError:
            log.exception("ERP sync failed for order %s", order_id)
            raise
        order.erp_synced_at = datetime.now(timezone.utc)
        return document_no


@with_app_context
def import_supplier_catalog(supplier_code, upload_path):
    with open(upload_path, "rb") as fh:
        raw = fh.read()
    articles = parse_catalog(raw)
    with session_scope() as session:
        created, updated = upsert_articles(session, supplier_code, articles)
    os.remove(upload_path)
    log.info("catalog %s: %s created, %s updated", supplier_code, created, updated)
    return {"created": created, "updated": updated}


@with_app_context
def store_supplier_login(supplier_code, username, password):
    with session_scope() as session:
        cred = session.query(SupplierCredential).filter_by(supplier_code=supplier_code).one_or_none()
        if cred is None:
            cred = SupplierCredential(supplier_code=supplier_code, username=username, password_encrypted=b"")
            session.add(cred)
        cred.username = username
        cred.password_encrypted = encrypt_secret(password)


@with_app_context
def export_stock_snapshot(out_dir):
    with session_scope() as session:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["sku", "on_hand", "reserved"])
        last_id = 0
        while True:
            batch = session.query(Part).filter(Part.id > last_id).order_by(Part.id).limit(2000).all()
            if not batch:
                break
            for part in batch:
                writer.writerow([part.sku, part.stock_on_hand, part.stock_reserved])
            last_id = batch[-1].id
    path = os.path.join(out_dir, f"stock-{datetime.now(timezone.utc):%Y%m%d%H%M}.csv.enc")
    with open(path, "wb") as fh:
        fh.write(encrypt_blob(buffer.getvalue().encode()))
    return path


@with_app_context
def refresh_tracking(order_ids):
    carrier = make_client("carrier")
    with session_scope() as session:
        orders = session.query(Order).filter(Order.id.in_(order_ids), Order.tracking_number.isnot(None)).all()
        for order in orders:
            for attempt in range(3):
                try:
                    status, _ = carrier.tracking_status(order.tracking_number)
                    break
                except ConnectionError:
                    time.sleep(2 ** attempt + random.uniform(0, 1))
            else:
                continue
            if status == "delivered":
                log.info("order %s delivered", order.id)


@with_app_context
def run_monthly_invoicing(account_ids):
    created = 0
    for account_id in account_ids:
        session = SessionLocal()
        try:
            if invoice_shipped_orders(session, account_id) is not None:
                created += 1
        finally:
            session.close()
    return created


@with_app_context
def send_password_reset_email(user_id, token):
    with session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            return
        from ..mail import send_mail

        send_mail(user.email, "Reset your PartsDepot password", f"https://shop.partsdepot.example/reset?token={token}")
