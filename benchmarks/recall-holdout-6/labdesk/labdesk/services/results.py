"""Result intake from the partner lab, review and release by clinic staff."""
from __future__ import annotations

import hashlib
import logging
import posixpath
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from labdesk.auth import Principal, clinic_scope
from labdesk.repositories import OrderRepository, ResultRepository

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class ResultService:
    def __init__(self, results: ResultRepository, orders: OrderRepository,
                 files_http: aiohttp.ClientSession, attachment_hosts: list[str]):
        self.results = results
        self.orders = orders
        self.files_http = files_http
        self.attachment_hosts = set(attachment_hosts)

    @classmethod
    def from_app(cls, app: web.Application) -> "ResultService":
        pool = app["db"]
        return cls(ResultRepository(pool), OrderRepository(pool), app["files_http"],
                   app["settings"].attachment_hosts)

    async def get_owned(self, principal: Principal, result_id: int):
        row = await self.results.get(result_id)
        if row is None or (not principal.is_service and row["clinic_id"] != principal.clinic_id):
            raise web.HTTPNotFound(reason="result not found")
        return row

    async def release(self, principal: Principal, result_id: int) -> dict:
        await self.get_owned(principal, result_id)
        row = await self.results.release(result_id, principal.user_id)
        if row is None:
            raise web.HTTPConflict(reason="result already released")
        return dict(row)

    async def worklist(self, principal: Principal, *, flag: str | None, sort: str, direction: str,
                       limit: int) -> list[dict]:
        rows = await self.results.worklist(
            clinic_scope(principal), flag=flag, order_by=sort or "received_at", direction=direction, limit=limit
        )
        return [dict(r) for r in rows]

    async def _download(self, url: str) -> tuple[str, bytes]:
        async with self.files_http.get(url) as resp:
            resp.raise_for_status()
            if (resp.content_length or 0) > MAX_ATTACHMENT_BYTES:
                raise web.HTTPRequestEntityTooLarge(MAX_ATTACHMENT_BYTES, resp.content_length)
            content = await resp.content.read(MAX_ATTACHMENT_BYTES + 1)
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_ATTACHMENT_BYTES, len(content))
        filename = posixpath.basename(urlsplit(url).path) or "attachment.bin"
        return filename, content

    async def attach_from_url(self, principal: Principal, result_id: int, source_url: str) -> int:
        await self.get_owned(principal, result_id)
        if urlsplit(source_url).scheme not in ("http", "https"):
            raise web.HTTPBadRequest(reason="source_url must be http(s)")
        filename, content = await self._download(source_url)
        return await self.results.add_attachment(
            result_id, filename, content, hashlib.sha256(content).hexdigest()
        )

    async def ingest_partner_batch(self, payload: dict) -> int:
        """Handle one delivery of the partner's results webhook."""
        stored = 0
        for report in payload.get("reports", [])[:200]:
            order = await self.orders.get_by_accession(report["accession"])
            if order is None:
                log.warning("result for unknown accession %s", report["accession"])
                continue
            for obs in report.get("observations", []):
                if obs.get("status") == "corrected":
                    existing = await self.results.find(order["accession_no"], obs["code"])
                    if existing is not None:
                        await self.results.update_value(existing["id"], obs)
                        stored += 1
                        continue
                row = await self.results.insert_from_partner(order, obs)
                stored += 1
                for link in obs.get("attachments", []):
                    await self._attach_partner_file(row["id"], link)
            await self.orders.set_status(order["id"], "resulted")
        return stored

    async def _attach_partner_file(self, result_id: int, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.hostname not in self.attachment_hosts:
            log.warning("ignoring attachment on unexpected host %s", parts.hostname)
            return
        filename, content = await self._download(url)
        await self.results.add_attachment(result_id, filename, content, hashlib.sha256(content).hexdigest())
