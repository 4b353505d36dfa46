"""Supplier catalogue import (BMEcat-style XML uploaded by purchasing)."""
import logging
from decimal import Decimal, InvalidOperation

from lxml import etree

from ..models import Part
from ..repositories import PartRepository

log = logging.getLogger(__name__)

BATCH_SIZE = 500


def _chunked(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def parse_catalog(raw):
    root = etree.fromstring(raw, etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=False))
    articles = []
    for article in root.iter("ARTICLE"):
        sku = (article.findtext("SUPPLIER_AID") or "").strip()
        if not sku:
            continue
        try:
            price = Decimal(article.findtext("ARTICLE_PRICE/PRICE_AMOUNT") or "0")
        except InvalidOperation:
            log.warning("bad price for %s, skipped", sku)
            continue
        articles.append(
            {
                "sku": sku[:40],
                "name": (article.findtext("ARTICLE_DETAILS/DESCRIPTION_SHORT") or sku)[:200],
                "brand": (article.findtext("ARTICLE_DETAILS/MANUFACTURER_NAME") or "")[:80],
                "category": (article.findtext("ARTICLE_DETAILS/CATEGORY") or "misc")[:80],
                "unit_price": price,
            }
        )
    return articles


def upsert_articles(session, supplier_code, articles):
    repo = PartRepository(session)
    created = updated = 0
    for batch in _chunked(articles, BATCH_SIZE):
        existing = repo.get_many_by_sku([a["sku"] for a in batch])
        for article in batch:
            part = existing.get(article["sku"])
            if part is None:
                session.add(Part(supplier_code=supplier_code, **article))
                created += 1
            else:
                part.name = article["name"]
                part.unit_price = article["unit_price"]
                updated += 1
        session.flush()
    return created, updated
