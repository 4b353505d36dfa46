from decimal import Decimal

from lunchline.auth import current_principal
from lunchline.auth.decorators import require_role
from lunchline.db import session, transaction
from lunchline.repositories import LedgerRepository, StudentRepository
from lunchline.serializers import clamp, ledger_out, page, student_out
from lunchline.services import NotFound
from lunchline.services.accounts import AccountService
from lunchline.services.wallet import WalletService

EDITABLE_FIELDS = ("allergies", "auto_topup_amount", "auto_topup_threshold")


@require_role("guardian")
def list_students():
    students = StudentRepository(session).for_guardian(current_principal().user_id)
    return {"items": [student_out(s) for s in students]}, 200


@require_role("guardian")
def get_student(student_id):
    student = StudentRepository(session).get_for_guardian(student_id, current_principal().user_id)
    if student is None:
        raise NotFound("student not found")
    return student_out(student), 200


@require_role("guardian")
def update_student(student_id, body):
    with transaction():
        student = StudentRepository(session).get_for_guardian(student_id, current_principal().user_id)
        if student is None:
            raise NotFound("student not found")
        for field in EDITABLE_FIELDS:
            if field in body:
                value = body[field]
                setattr(student, field, Decimal(value) if value is not None and field != "allergies" else value)
    return student_out(student), 200


@require_role("guardian")
def get_ledger(student_id, limit=None, offset=None):
    limit, offset = clamp(limit, offset)
    student = StudentRepository(session).get(student_id)
    if student is None:
        raise NotFound("student not found")
    entries = LedgerRepository(session).for_student(student.id, offset, limit)
    return page([ledger_out(e) for e in entries], limit, offset), 200


@require_role("guardian")
def create_topup(student_id, body):
    charge_id = WalletService(session).top_up(current_principal().user_id, student_id, Decimal(body["amount"]))
    return {"charge_id": charge_id, "status": "pending"}, 202


@require_role("guardian")
def create_link_code(student_id):
    code, expires = AccountService(session).create_link_code(current_principal().user_id, student_id)
    return {"code": code, "expires_at": expires.isoformat()}, 201


@require_role("guardian")
def redeem_link_code(body):
    student_id = AccountService(session).redeem_link_code(current_principal().user_id, body["code"])
    return {"student_id": student_id}, 200
