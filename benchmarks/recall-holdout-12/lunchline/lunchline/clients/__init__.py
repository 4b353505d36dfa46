from functools import lru_cache

import redis

from lunchline import settings


@lru_cache(maxsize=1)
def get_redis():
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=2,
        socket_connect_timeout=2,
        decode_responses=True,
    )


def menu_cache():
    return redis.Redis(host=settings.REDIS_HOST, port=6379, db=1, socket_timeout=2, decode_responses=True)
