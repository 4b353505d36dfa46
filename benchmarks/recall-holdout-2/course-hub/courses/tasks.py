import logging
import secrets

import requests
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError

from .models import Certificate, Enrollment

log = logging.getLogger(__name__)


@shared_task
def send_enrollment_email(enrollment_id):
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=enrollment_id)
    send_mail(
        subject=f"You're enrolled in {enrollment.course.title}",
        message=f"Hi {enrollment.user.first_name},\n\nYou can start learning right away.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[enrollment.user.email],
    )


@shared_task(bind=True, max_retries=5)
def sync_enrollment_to_crm(self, enrollment_id):
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=enrollment_id)
    try:
        resp = requests.put(
            f"{settings.CRM_API_URL}/contacts/{enrollment.user.email}/courses/{enrollment.course.slug}",
            json={"status": enrollment.status, "enrolled_at": enrollment.created_at.isoformat()},
            headers={"Authorization": f"Token {settings.CRM_API_TOKEN}"},
            timeout=(3, 10),
        )
        resp.raise_for_status()
    except requests.RequestException as exc:
        raise self.retry(exc=exc, countdown=min(600, 30 * 2 ** self.request.retries))


@shared_task
def issue_certificate(enrollment_id):
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=enrollment_id)
    try:
        certificate, created = Certificate.objects.get_or_create(
            enrollment=enrollment,
            defaults={"verification_code": secrets.token_hex(12)},
        )
    except IntegrityError:
        return
    if created:
        send_mail(
            subject=f"Your certificate for {enrollment.course.title}",
            message=f"Verification code: {certificate.verification_code}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[enrollment.user.email],
        )
