import json
import logging
from decimal import Decimal

import redis
from flask import current_app

from ..clients import make_client
from ..clients.carrier import SUPPORTED_CARRIERS
from ..clients.pricing_api import PricingError

log = logging.getLogger(__name__)


def _price_cache():
    return redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2)


class PricingService:
    def __init__(self, parts_repo):
        self.parts = parts_repo

    def prices_for(self, account_id, skus):
        """Contract price per SKU for this account, falling back to list price."""
        cache = _price_cache()
        key = f"prices:{account_id}"
        cached = cache.hgetall(key)
        prices = {k.decode(): Decimal(v.decode()) for k, v in cached.items()}
        missing = [s for s in skus if s not in prices]
        if missing:
            try:
                fresh = make_client("pricing").contract_prices(account_id, missing)
            except PricingError:
                log.warning("pricing service unavailable, using list prices for account %s", account_id)
                fresh = {}
            if fresh:
                cache.hset(key, mapping={k: str(v) for k, v in fresh.items()})
                cache.expire(key, current_app.config["PRICE_CACHE_SECONDS"])
            prices.update({k: Decimal(str(v)) for k, v in fresh.items()})
        return prices

    def cheapest_shipping(self, weight_kg, destination_zip):
        carrier_client = make_client("carrier")
        quotes = []
        for carrier in SUPPORTED_CARRIERS:
            try:
                quote = carrier_client.rate(carrier, weight_kg, destination_zip)
            except Exception:
                log.warning("no rate from %s", carrier, exc_info=True)
                continue
            quotes.append((Decimal(str(quote["amount"])), carrier, quote.get("eta_days")))
        if not quotes:
            return None
        amount, carrier, eta = min(quotes)
        return {"carrier": carrier, "amount": str(amount), "eta_days": eta}


def dump_price_debug(prices):
    return json.dumps({k: str(v) for k, v in prices.items()})
