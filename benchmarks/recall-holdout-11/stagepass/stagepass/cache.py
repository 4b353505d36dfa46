import redis

_client = None


def build_redis(settings):
    return redis.Redis.from_url(
        settings.redis_url,
        socket_timeout=2,
        socket_connect_timeout=2,
        health_check_interval=30,
        decode_responses=True,
    )


def init_redis(settings):
    global _client
    if _client is None:
        _client = build_redis(settings)
    return _client


def get_redis():
    if _client is None:
        raise RuntimeError("redis client not initialised")
    return _client
