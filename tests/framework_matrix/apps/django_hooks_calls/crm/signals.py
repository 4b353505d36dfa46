from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

contact_archived = Signal()
contact_merged = Signal()


def on_archived(sender, contact, **kwargs):  # reach: request
    return contact.pk


def on_merged(sender, **kwargs):  # reach: none
    return None


def on_contact_saved(sender, instance, **kwargs):  # reach: request
    return instance.pk


def on_audit_deleted(sender, instance, **kwargs):  # reach: none
    return instance.pk


def on_login(sender, request, user, **kwargs):  # reach: request
    return user.pk


contact_archived.connect(on_archived)
contact_merged.connect(on_merged)
post_save.connect(on_contact_saved, sender="crm.Contact")
post_delete.connect(on_audit_deleted, sender="crm.AuditEntry")
user_logged_in.connect(on_login)
