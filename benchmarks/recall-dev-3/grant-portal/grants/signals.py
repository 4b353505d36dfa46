import logging

from django.core.mail import send_mail
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Application, Organization

log = logging.getLogger(__name__)


@receiver(post_save, sender=Application)
def notify_applicant_on_decision(sender, instance: Application, created, update_fields=None, **kwargs):
    if created or instance.status not in (Application.Status.APPROVED, Application.Status.REJECTED):
        return
    try:
        send_mail(
            subject=f"Decision on your application: {instance.title}",
            message=f"Your application to {instance.program.title} was {instance.status}.",
            from_email=None,
            recipient_list=[instance.applicant.email],
        )
    except Exception:
        # The decision itself is already stored; the applicant also sees it on the dashboard.
        log.exception("decision email for application %s failed", instance.pk)


@receiver(post_save, sender=Organization)
def audit_bank_details(sender, instance: Organization, created, **kwargs):
    if created:
        return
    log.info("organization %s saved (bank account on file: %s)", instance.pk, bool(instance.bank_account_number))
