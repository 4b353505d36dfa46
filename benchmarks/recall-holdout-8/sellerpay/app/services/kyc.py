"""KYC document intake."""
from __future__ import annotations

import hashlib
import logging
import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app import storage
from app.config import get_settings
from app.models import KycDocument, Seller

logger = logging.getLogger(__name__)
settings = get_settings()


class DocumentRejected(Exception):
    pass


def _validate(content_type: str, body: bytes) -> None:
    if content_type not in settings.kyc_allowed_content_types:
        raise DocumentRejected(f"unsupported content type {content_type}")
    if len(body) > settings.kyc_max_document_bytes:
        raise DocumentRejected("document too large")
    if not body:
        raise DocumentRejected("empty document")


async def _download(http: httpx.AsyncClient, source: str) -> tuple[bytes, str]:
    resp = await http.get(source)
    resp.raise_for_status()
    content_type = resp.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    return resp.content, content_type


async def store_document(
    session: AsyncSession, seller: Seller, kind: str, body: bytes, content_type: str
) -> KycDocument:
    _validate(content_type, body)
    key = f"kyc/{seller.id}/{uuid.uuid4().hex}"
    await storage.put_object(key, body, content_type)
    doc = KycDocument(
        seller_id=seller.id,
        kind=kind,
        storage_key=key,
        sha256=hashlib.sha256(body).hexdigest(),
        content_type=content_type,
    )
    session.add(doc)
    await session.commit()
    logger.info("kyc document %s stored for seller %s", doc.id, seller.id)
    return doc


async def import_document_from_url(
    session: AsyncSession, http: httpx.AsyncClient, seller: Seller, kind: str, document_url: str
) -> KycDocument:
    body, content_type = await _download(http, document_url)
    return await store_document(session, seller, kind, body, content_type)
