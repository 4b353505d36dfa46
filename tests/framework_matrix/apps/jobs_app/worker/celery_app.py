from celery import Celery
from celery.schedules import crontab

app = Celery("worker")
app.conf.beat_schedule = {
    "nightly-cleanup": {"task": "worker.tasks.cleanup", "schedule": crontab(hour=3)},
}


@app.task(bind=True)
def reindex(self, doc_id):  # reach: task
    return rebuild(doc_id)


def rebuild(doc_id):  # reach: task
    return doc_id
