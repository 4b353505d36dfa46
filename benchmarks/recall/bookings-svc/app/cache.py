from redis.asyncio import Redis

from .config import settings

redis = Redis.from_url(settings.redis_url, socket_timeout=1.0, decode_responses=True)
