import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

app = Celery("clinicdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "appointment-reminders": {
        "task": "apps.scheduling.tasks.send_appointment_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "lab-order-sync": {
        "task": "apps.scheduling.tasks.sync_lab_orders",
        "schedule": crontab(minute="5", hour="*"),
    },
    "charge-due-invoices": {
        "task": "apps.billing.tasks.charge_due_invoices",
        "schedule": crontab(minute="0", hour="6"),
    },
}
