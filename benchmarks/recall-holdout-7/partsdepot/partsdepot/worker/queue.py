import os
from functools import lru_cache

from redis import Redis
from rq import Queue, Retry


@lru_cache(maxsize=1)
def _queue():
    return Queue("partsdepot", connection=Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0")))


def enqueue(func_path, *args, **kwargs):
    return _queue().enqueue(
        func_path,
        *args,
        retry=Retry(max=3, interval=[10, 60, 300]),
        job_timeout=600,
        **kwargs,
    )
