import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from common.exceptions import ServiceError

from .models import StaffInvitation, StaffProfile

User = get_user_model()

INVITATION_TTL = timedelta(days=7)


def invite_staff(clinic, email, role, invited_by):
    email = email.strip().lower()
    if StaffProfile.objects.filter(clinic=clinic, user__email=email).exists():
        raise ServiceError("This person already works at the clinic.", code="already_member")

    invitation = StaffInvitation.objects.create(
        clinic=clinic,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_TTL,
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation))
    return invitation


def _send_invitation_email(invitation):
    send_mail(
        subject=f"You're invited to {invitation.clinic.name} on ClinicDesk",
        message=f"Accept your invitation: https://app.clinicdesk.example/join/{invitation.token}",
        from_email=None,
        recipient_list=[invitation.email],
    )


def deactivate_staff(profile, actor):
    if profile.user_id == actor.pk:
        raise ServiceError("You cannot deactivate yourself.", code="self_deactivation")
    with transaction.atomic():
        profile.is_active = False
        profile.save(update_fields=["is_active"])
        User.objects.filter(pk=profile.user_id).update(is_active=False)
