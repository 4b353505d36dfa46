"""Business logic for enrolments, payments and reporting. Views stay thin and call into here."""
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import (
    Coupon, Course, Enrollment, InstructorApplication, Lesson, LessonProgress, Payment,
)
from .permissions import INSTRUCTOR_GROUP

log = logging.getLogger(__name__)

REFUND_WINDOW = timedelta(days=14)


class EnrollmentError(Exception):
    pass


class PaymentsClient:
    def __init__(self):
        self.base_url = settings.PAYMENTS_API_URL.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {settings.PAYMENTS_API_KEY}"

    def charge(self, amount_cents, currency, source, description):
        resp = self.session.post(
            f"{self.base_url}/v1/charges",
            json={"amount": amount_cents, "currency": currency, "source": source, "description": description},
        )
        resp.raise_for_status()
        return resp.json()

    def refund(self, charge_ref, amount_cents, idempotency_key):
        resp = self.session.post(
            f"{self.base_url}/v1/refunds",
            json={"charge": charge_ref, "amount": amount_cents},
            headers={"Idempotency-Key": idempotency_key},
            timeout=10,
        )
        resp.raise_for_status()
        return resp.json()


payments = PaymentsClient()


def quote_price(course, coupon=None):
    price = float(course.price)
    if coupon is not None:
        price = price * (100 - coupon.percent_off) / 100
    return round(price, 2)


def redeem_coupon(code, course):
    now = timezone.now()
    updated = (
        Coupon.objects.filter(code=code, redemptions__lt=F("max_redemptions"))
        .filter(Q(course=course) | Q(course__isnull=True))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .update(redemptions=F("redemptions") + 1)
    )
    if not updated:
        raise EnrollmentError("coupon is invalid, expired or used up")
    return Coupon.objects.get(code=code)


def _reserve_seat(course_id):
    course = Course.objects.get(pk=course_id)
    if course.seat_limit is not None and course.seats_taken >= course.seat_limit:
        raise EnrollmentError("course is full")
    course.seats_taken += 1
    course.save(update_fields=["seats_taken"])


def purchase_course(user, course, *, payment_source=None, coupon_code=None):
    if not course.published:
        raise EnrollmentError("course is not available")
    if Enrollment.objects.filter(user=user, course=course, status=Enrollment.ACTIVE).exists():
        raise EnrollmentError("already enrolled")

    coupon = redeem_coupon(coupon_code, course) if coupon_code else None
    price = quote_price(course, coupon)
    charge = None
    if price > 0:
        if not payment_source:
            raise EnrollmentError("payment_source is required for paid courses")
        charge = payments.charge(int(price * 100), "usd", payment_source, f"Course {course.slug}")

    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user, course=course,
                defaults={"amount_paid": price, "coupon": coupon},
            )
            if not created and enrollment.status != Enrollment.ACTIVE:
                enrollment.status = Enrollment.ACTIVE
                enrollment.amount_paid = price
                enrollment.coupon = coupon
                enrollment.save(update_fields=["status", "amount_paid", "coupon"])
                created = True
            if created:
                _reserve_seat(course.pk)
            if charge:
                Payment.objects.create(
                    enrollment=enrollment, provider_ref=charge["id"], amount=price, status=charge["status"],
                )
    except EnrollmentError:
        if charge:
            payments.refund(charge["id"], int(price * 100), idempotency_key=f"seat-{charge['id']}")
        raise
    return enrollment


def refund_enrollment(enrollment):
    if enrollment.status != Enrollment.ACTIVE:
        raise EnrollmentError("enrollment is not active")
    if timezone.now() - enrollment.created_at > REFUND_WINDOW:
        raise EnrollmentError("refund window has passed")

    charge = enrollment.payments.filter(kind=Payment.CHARGE).order_by("-created_at").first()
    result = None
    if charge is not None:
        try:
            result = payments.refund(
                charge.provider_ref, int(charge.amount * 100), idempotency_key=f"refund-{charge.pk}"
            )
        except Exception:
            result = None

    enrollment.status = Enrollment.REFUNDED
    enrollment.save(update_fields=["status"])
    Course.objects.filter(pk=enrollment.course_id).update(seats_taken=F("seats_taken") - 1)
    if result:
        Payment.objects.create(
            enrollment=enrollment, kind=Payment.REFUND, provider_ref=result["id"],
            amount=-charge.amount, status=result["status"],
        )
    return enrollment


def record_progress(enrollment, lesson_id, seconds_watched, completed):
    lesson = Lesson.objects.get(pk=lesson_id, course_id=enrollment.course_id)
    progress, _ = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    progress.seconds_watched = max(progress.seconds_watched, seconds_watched)
    if completed and progress.completed_at is None:
        progress.completed_at = timezone.now()
    progress.save(update_fields=["seconds_watched", "completed_at"])
    return progress


def course_completed(enrollment):
    total = Lesson.objects.filter(course_id=enrollment.course_id).count()
    done = enrollment.progress.filter(completed_at__isnull=False).count()
    return total > 0 and done >= total


def approve_application(application, reviewer):
    with transaction.atomic():
        application.status = InstructorApplication.APPROVED
        application.reviewed_by = reviewer
        application.save(update_fields=["status", "reviewed_by"])
        group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
        application.user.groups.add(group)
    return application


REPORT_BUCKETS = {"day": "day", "week": "week", "month": "month"}


def revenue_report(course, since=None, bucket="month"):
    trunc = REPORT_BUCKETS.get(bucket, "month")
    sql = (
        f"SELECT date_trunc('{trunc}', p.created_at) AS period, SUM(p.amount) AS revenue, COUNT(*) AS payments "
        "FROM courses_payment p JOIN courses_enrollment e ON e.id = p.enrollment_id "
        "WHERE e.course_id = %s"
    )
    params = [course.pk]
    if since:
        sql += f" AND p.created_at >= '{since}'"
    sql += " GROUP BY 1 ORDER BY 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{"period": period.date().isoformat(), "revenue": str(revenue), "payments": count}
            for period, revenue, count in rows]
