from celery import Celery
from flask_sqlalchemy import SQLAlchemy
from redis import Redis

db = SQLAlchemy()
celery = Celery("ledger")
redis_client = Redis.from_url("redis://localhost:6379/0")


def init_extensions(app):
    global redis_client
    db.init_app(app)
    redis_client = Redis.from_url(app.config["REDIS_URL"], socket_timeout=2)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_acks_late=True,
        task_default_queue="ledger",
    )

    class ContextTask(celery.Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = ContextTask
