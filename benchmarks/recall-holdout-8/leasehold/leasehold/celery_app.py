from celery import Celery


def make_celery(app=None):
    from . import create_app

    app = app or create_app()
    celery = Celery(
        app.import_name,
        broker=app.config["CELERY_BROKER_URL"],
        backend=app.config["CELERY_RESULT_BACKEND"],
    )
    celery.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": 3600},
        timezone="America/New_York",
        beat_schedule={
            "post-monthly-rent": {"task": "leasehold.tasks.post_rent_for_all_leases", "schedule": 60 * 60 * 6},
            "rent-reminders": {"task": "leasehold.tasks.send_rent_reminders", "schedule": 60 * 60 * 24},
            "autopay": {"task": "leasehold.tasks.run_autopay", "schedule": 60 * 60 * 24},
        },
    )

    class ContextTask(celery.Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = ContextTask
    return celery


celery = make_celery()
