from redis import Redis
from rq import Queue

from worker.tasks import export_csv

queue = Queue(connection=Redis())


def schedule_export(report_id):  # reach: none
    queue.enqueue(export_csv, report_id)
