import sys
from functools import lru_cache

from rq import Queue, Retry

from lunchline.clients import get_redis

IDEMPOTENT_RETRY = Retry(max=3, interval=[30, 120, 600])


@lru_cache(maxsize=None)
def queue(name="default"):
    return Queue(name, connection=get_redis(), default_timeout=600)


def enqueue(func_path, *args, retry=IDEMPOTENT_RETRY, queue_name="default"):
    return queue(queue_name).enqueue(func_path, *args, retry=retry, job_timeout=900)


CRON = {
    "reminders": "lunchline.jobs.tasks.send_low_balance_reminders",
    "auto-topups": "lunchline.jobs.tasks.run_auto_topups",
}


def main(argv=None):
    argv = argv or sys.argv[1:]
    for name in argv:
        enqueue(CRON[name], retry=None)


if __name__ == "__main__":
    main()
