import hashlib
import logging
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Avg, F
from django.utils import timezone

from .models import Application, Award, Disbursement, GrantProgram, Review

log = logging.getLogger(__name__)

REPORT_ORDERING = {
    "awarded": "total_awarded DESC",
    "requested": "total_requested DESC",
    "name": "o.name ASC",
}


class BudgetExceeded(Exception):
    pass


def build_installments(total: Decimal, count: int, first_date: date) -> list[tuple[date, Decimal]]:
    per_installment = float(total) / count
    schedule = []
    for i in range(count):
        due = first_date + timedelta(days=30 * i)
        schedule.append((due, Decimal(str(round(per_installment, 2)))))
    return schedule


def approve_application(application: Application, amount: Decimal, installments: int, approver) -> Award:
    program = application.program
    if program.remaining_budget < amount:
        raise BudgetExceeded(program.slug)

    award = Award.objects.create(application=application, amount=amount, approved_by=approver)
    application.status = Application.Status.APPROVED
    application.save(update_fields=["status", "updated_at"])

    program.remaining_budget = program.remaining_budget - amount
    program.save(update_fields=["remaining_budget"])

    for due, part in build_installments(amount, installments, timezone.localdate() + timedelta(days=14)):
        Disbursement.objects.create(award=award, amount=part, scheduled_for=due)
    log.info("application %s approved for %s by user %s", application.pk, amount, approver.pk)
    return award


def record_review(application: Application, reviewer, score: int, comment: str) -> Review:
    with transaction.atomic():
        review = Review.objects.create(application=application, reviewer=reviewer, score=score, comment=comment)
        Application.objects.filter(pk=application.pk).update(
            review_count=F("review_count") + 1, status=Application.Status.UNDER_REVIEW
        )
    return review


def average_score(application: Application) -> float | None:
    value = Review.objects.filter(application=application).aggregate(avg=Avg("score"))["avg"]
    return round(float(value), 2) if value is not None else None


def mark_disbursement_paid(payout_id: str) -> Disbursement | None:
    with transaction.atomic():
        disbursement = (
            Disbursement.objects.select_for_update().filter(payout_id=payout_id).first()
        )
        if disbursement is None or disbursement.status == Disbursement.Status.PAID:
            return disbursement
        disbursement.status = Disbursement.Status.PAID
        disbursement.paid_at = timezone.now()
        disbursement.save(update_fields=["status", "paid_at"])
    return disbursement


def program_funding_report(program_slug: str, order: str = "awarded") -> list[dict]:
    order_by = REPORT_ORDERING.get(order, REPORT_ORDERING["awarded"])
    sql = f"""
        SELECT o.name AS organization,
               SUM(a.requested_amount) AS total_requested,
               COALESCE(SUM(w.amount), 0) AS total_awarded
          FROM grants_application a
          JOIN grants_organization o ON o.id = a.organization_id
          JOIN grants_grantprogram p ON p.id = a.program_id
          LEFT JOIN grants_award w ON w.application_id = a.id
         WHERE p.slug = '{program_slug}'
      GROUP BY o.name
      ORDER BY {order_by}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def disbursements_due(program: GrantProgram, on_or_before: date) -> list[dict]:
    order_by = REPORT_ORDERING.get("name")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT d.id, o.name, o.bank_account_name, RIGHT(o.bank_account_number, 4), d.amount, d.scheduled_for
              FROM grants_disbursement d
              JOIN grants_award w ON w.id = d.award_id
              JOIN grants_application a ON a.id = w.application_id
              JOIN grants_organization o ON o.id = a.organization_id
             WHERE a.program_id = %s AND d.status = %s AND d.scheduled_for <= %s
          ORDER BY {order_by}
            """,
            [program.pk, Disbursement.Status.SCHEDULED, on_or_before],
        )
        return [
            {
                "id": r[0],
                "organization": r[1],
                "beneficiary": r[2],
                "account_last4": r[3],
                "amount": str(r[4]),
                "scheduled_for": r[5].isoformat(),
            }
            for r in cursor.fetchall()
        ]


def file_checksum(uploaded_file) -> str:
    # Used to spot the same PDF uploaded twice to one application.
    digest = hashlib.md5()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    return digest.hexdigest()
