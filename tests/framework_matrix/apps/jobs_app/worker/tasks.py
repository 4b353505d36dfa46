import dramatiq
from celery import shared_task


@shared_task
def cleanup():  # reach: task
    return None


@dramatiq.actor(max_retries=3)
def send_digest(user_id):  # reach: task
    return user_id


def export_csv(report_id):  # reach: task
    return report_id
