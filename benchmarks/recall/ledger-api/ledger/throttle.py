"""Small fixed-window rate limiter backed by Redis."""
import functools
import time

from flask import current_app, request

from . import extensions


def throttle(bucket, per_minute_setting):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            limit = current_app.config[per_minute_setting]
            window = int(time.time() // 60)
            key = f"throttle:{bucket}:{request.remote_addr}:{window}"
            pipe = extensions.redis_client.pipeline()
            pipe.incr(key)
            pipe.expire(key, 120)
            count, _ = pipe.execute()
            if count > limit:
                return {"message": "too many attempts, try again later"}, 429
            return fn(*args, **kwargs)

        return wrapper

    return decorator
