import json
import logging
import os
from decimal import Decimal, InvalidOperation
from urllib.parse import urlparse

from lunchline import settings
from lunchline.clients import menu_cache
from lunchline.clients.http import build_session, read_retry
from lunchline.db import transaction
from lunchline.models import School
from lunchline.repositories import MenuRepository
from lunchline.services import NotFound, ServiceError
from lunchline.services.ordering import to_money

log = logging.getLogger(__name__)

LOGO_DIR = os.environ.get("LUNCHLINE_LOGO_DIR", "/var/lib/lunchline/logos")
MENU_CACHE_TTL = 300
ALLOWED_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg"}


def _session():
    return build_session(retry=read_retry())


def ensure_supplier_url(feed_url):
    parsed = urlparse(feed_url)
    if parsed.scheme != "https" or parsed.hostname not in settings.SUPPLIER_FEED_HOSTS:
        raise ServiceError("feed must be an https URL on an approved supplier host", code="invalid_feed")
    return feed_url


class MenuService:
    def __init__(self, session, http=None):
        self.session = session
        self.menus = MenuRepository(session)
        self.http = http or _session()

    def cached_menu(self, school_id):
        cache = menu_cache()
        key = f"menu:{school_id}"
        cached = cache.get(key)
        if cached:
            return json.loads(cached)
        items = [
            {"id": i.id, "name": i.name, "category": i.category, "price": str(i.price)}
            for i in self.menus.available_for_school(school_id)
        ]
        cache.set(key, json.dumps(items), ex=MENU_CACHE_TTL)
        return items

    def import_supplier_feed(self, school_id, feed_url):
        resp = self.http.get(ensure_supplier_url(feed_url))
        resp.raise_for_status()
        existing = self.menus.by_sku(school_id)
        imported = 0
        with transaction(self.session):
            for row in resp.json().get("items", [])[:500]:
                try:
                    price = to_money(Decimal(str(row["price"])))
                except (KeyError, InvalidOperation):
                    log.warning("skipping feed row without a valid price: sku=%s", row.get("sku"))
                    continue
                self.menus.upsert_from_feed(existing, school_id, row["sku"], row["name"][:200],
                                            row.get("category", "main")[:40], price)
                imported += 1
        menu_cache().delete(f"menu:{school_id}")
        return imported

    def fetch_logo(self, school_id, image_url):
        school = self.session.get(School, school_id)
        if school is None:
            raise NotFound("school not found")
        if not image_url.startswith(("http://", "https://")):
            raise ServiceError("image_url must be an http(s) URL", code="invalid_url")
        with self.http.get(image_url, stream=True) as resp:
            resp.raise_for_status()
            ext = ALLOWED_IMAGE_TYPES.get(resp.headers.get("Content-Type", "").split(";")[0])
            if ext is None:
                raise ServiceError("logo must be a PNG or JPEG image", code="invalid_image")
            data = resp.raw.read(settings.LOGO_MAX_BYTES + 1, decode_content=True)
        if len(data) > settings.LOGO_MAX_BYTES:
            raise ServiceError("logo too large", code="too_large")
        path = os.path.join(LOGO_DIR, f"{school.id}.{ext}")
        with open(path, "wb") as fh:
            fh.write(data)
        with transaction(self.session):
            school.logo_path = path
        return path
