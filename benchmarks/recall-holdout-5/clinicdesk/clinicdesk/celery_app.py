from celery.schedules import crontab

from clinicdesk import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
celery_app.conf.imports = ("clinicdesk.tasks",)
celery_app.conf.beat_schedule = {
    "queue-reminders": {"task": "clinicdesk.tasks.queue_reminders", "schedule": 300.0},
    "sync-lab-results": {
        "task": "clinicdesk.tasks.sync_all_clinics",
        "schedule": crontab(minute="*/30"),
    },
}
