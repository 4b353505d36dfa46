import hashlib
import json
from datetime import date, datetime, time, timezone

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lunchline.auth.decorators import require_school_staff
from lunchline.db import session
from lunchline.jobs import enqueue
from lunchline.models import Order, OrderLine
from lunchline.repositories import LedgerRepository, ReportRepository, StudentRepository
from lunchline.serializers import clamp, ledger_out, money, page, student_out
from lunchline.services.menus import MenuService, ensure_supplier_url


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(value)


def get_menu(school_id):
    items = MenuService(session).cached_menu(school_id)
    etag = hashlib.md5(json.dumps(items, sort_keys=True).encode(), usedforsecurity=False).hexdigest()
    if request.headers.get("If-None-Match") == etag:
        return None, 304
    return {"school_id": school_id, "items": items}, 200, {"ETag": etag, "Cache-Control": "private, max-age=60"}


@require_school_staff
def sales_report(school_id, start, end, category=None, order_by="day"):
    rows = ReportRepository(session).sales_by_day(school_id, start, end, category=category, order_by=order_by)
    return {"rows": [{**r, "revenue": money(r["revenue"])} for r in rows]}, 200


@require_school_staff
def export_transactions(school_id, start, end):
    start_dt = datetime.combine(_as_date(start), time.min, tzinfo=timezone.utc)
    end_dt = datetime.combine(_as_date(end), time.max, tzinfo=timezone.utc)
    entries = LedgerRepository(session).for_school(school_id, start_dt, end_dt)
    return {"school_id": school_id, "entries": [ledger_out(e) for e in entries]}, 200


@require_school_staff
def search_students(school_id, q, limit=None, offset=None):
    limit, offset = clamp(limit, offset)
    students = StudentRepository(session).search(school_id, q, offset, limit)
    return page([student_out(s) for s in students], limit, offset), 200


def kitchen_board(school_id, service_date=None):
    service_date = _as_date(service_date) if service_date else date.today()
    stmt = (
        select(Order)
        .where(Order.school_id == school_id, Order.service_date == service_date, Order.status == "placed")
        .options(selectinload(Order.student), selectinload(Order.lines).selectinload(OrderLine.menu_item))
        .order_by(Order.id)
    )
    board = []
    for order in session.execute(stmt).scalars():
        board.append({
            "student": f"{order.student.first_name} {order.student.last_name}",
            "year_group": order.student.year_group,
            "allergies": order.student.allergies,
            "items": [f"{l.quantity} x {l.menu_item.name}" for l in order.lines],
        })
    return {"service_date": service_date.isoformat(), "orders": board}, 200


@require_school_staff
def import_menu(school_id, body):
    feed_url = ensure_supplier_url(body["feed_url"])
    job = enqueue("lunchline.jobs.tasks.import_menu_feed", school_id, feed_url)
    return {"job_id": job.id}, 202


@require_school_staff
def upload_logo(school_id, body):
    path = MenuService(session).fetch_logo(school_id, body["image_url"])
    return {"logo_path": path}, 200
