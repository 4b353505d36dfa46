import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Order, Profile, Wallet
from .services import issue_tickets
from .tasks import send_ticket_email

logger = logging.getLogger(__name__)


@receiver(post_save, sender=get_user_model())
def create_profile_and_wallet(sender, instance, created, **kwargs):
    if created:
        Profile.objects.create(user=instance, display_name=instance.get_full_name())
        Wallet.objects.create(user=instance)


@receiver(post_save, sender=Order)
def order_paid(sender, instance, created, update_fields=None, **kwargs):
    if instance.status != Order.Status.PAID:
        return
    if not created and update_fields is not None and "status" not in update_fields:
        return
    if instance.tickets.exists():
        return
    try:
        tickets = issue_tickets(instance)
    except Exception:
        return
    for ticket in tickets:
        transaction.on_commit(partial(send_ticket_email.delay, ticket.id))
