import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warehouse.settings.production")

app = Celery("warehouse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "sync-tracking-every-10-min": {
        "task": "inventory.tasks.sync_tracking",
        "schedule": 600.0,
    },
}
