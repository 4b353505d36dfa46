"""Entry point for the Celery worker: celery -A celery_worker.celery worker -B"""
from pantrypal import create_app
from pantrypal.extensions import celery

app = create_app()
app.app_context().push()

import pantrypal.tasks  # noqa: E402,F401  (registers the tasks)

__all__ = ["celery"]
