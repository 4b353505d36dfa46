import os
import uuid

import aiofiles
import aiofiles.os
from aiohttp import web

from .errors import json_error, read_json

ALLOWED_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".pdf", ".txt", ".log", ".csv", ".zip"}
CHUNK = 64 * 1024


async def _visible_ticket(request: web.Request) -> int:
    """Return the ticket id if the caller may see it, else 404."""
    user = request["user"]
    ticket_id = int(request.match_info["ticket_id"])
    sql = "SELECT id FROM tickets WHERE id = $1 AND org_id = $2"
    args = [ticket_id, user["org_id"]]
    if user["role"] == "customer":
        sql += " AND requester_id = $3"
        args.append(user["id"])
    if await request.app["db"].fetchval(sql, *args) is None:
        raise json_error(404, "ticket not found")
    return ticket_id


def _ticket_dir(request: web.Request, ticket_id: int) -> str:
    return os.path.join(request.app["settings"].attachment_dir, str(ticket_id))


async def _store(request: web.Request, ticket_id: int, filename: str, content_type: str, chunks) -> dict:
    ext = os.path.splitext(filename)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise json_error(400, f"file type {ext or '(none)'} is not allowed")
    max_bytes = request.app["settings"].max_upload_bytes
    directory = _ticket_dir(request, ticket_id)
    await aiofiles.os.makedirs(directory, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}{ext}"
    path = os.path.join(directory, stored_name)

    size = 0
    try:
        async with aiofiles.open(path, "wb") as fh:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise json_error(413, "attachment too large", max_size=max_bytes, actual_size=size)
                await fh.write(chunk)
    except web.HTTPException:
        await aiofiles.os.remove(path)
        raise

    attachment_id = uuid.uuid4()
    await request.app["db"].execute(
        "INSERT INTO attachments (id, ticket_id, filename, stored_name, content_type, size_bytes) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        attachment_id, ticket_id, filename[:255], stored_name, content_type, size,
    )
    return {"id": str(attachment_id), "filename": filename, "size": size,
            "download_url": f"/tickets/{ticket_id}/attachments/download?name={stored_name}"}


class AttachmentCollectionView(web.View):
    async def get(self) -> web.Response:
        ticket_id = await _visible_ticket(self.request)
        rows = await self.request.app["db"].fetch(
            "SELECT id, filename, stored_name, content_type, size_bytes, created_at "
            "FROM attachments WHERE ticket_id = $1 ORDER BY created_at LIMIT 200",
            ticket_id,
        )
        return web.json_response({"items": [
            {"id": str(r["id"]), "filename": r["filename"], "size": r["size_bytes"],
             "content_type": r["content_type"], "created_at": r["created_at"].isoformat(),
             "download_url": f"/tickets/{ticket_id}/attachments/download?name={r['stored_name']}"}
            for r in rows
        ]})

    async def post(self) -> web.Response:
        ticket_id = await _visible_ticket(self.request)
        reader = await self.request.multipart()
        field = await reader.next()
        if field is None or field.name != "file" or not field.filename:
            raise json_error(400, "expected a multipart field named 'file'")

        async def chunks():
            while chunk := await field.read_chunk(CHUNK):
                yield chunk

        content_type = field.headers.get("Content-Type", "application/octet-stream")
        result = await _store(self.request, ticket_id, field.filename, content_type, chunks())
        return web.json_response(result, status=201)


class AttachmentImportView(web.View):
    """Attach a file that the customer has hosted elsewhere (e.g. a shared log bundle)."""

    async def post(self) -> web.Response:
        ticket_id = await _visible_ticket(self.request)
        data = await read_json(self.request)
        url = str(data.get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise json_error(400, "url must be http(s)")

        http = self.request.app["http"]
        async with http.get(url) as resp:
            if resp.status != 200:
                raise json_error(502, f"remote server answered {resp.status}")
            filename = os.path.basename(resp.url.path) or "download.txt"
            content_type = resp.headers.get("Content-Type", "application/octet-stream")
            result = await _store(self.request, ticket_id, filename, content_type,
                                  resp.content.iter_chunked(CHUNK))
        return web.json_response(result, status=201)


class AttachmentDownloadView(web.View):
    async def get(self) -> web.StreamResponse:
        ticket_id = await _visible_ticket(self.request)
        name = self.request.query.get("name")
        if not name:
            raise json_error(400, "name is required")
        path = os.path.join(_ticket_dir(self.request, ticket_id), name)
        return web.FileResponse(path)


def setup_routes(app: web.Application) -> None:
    app.router.add_view(r"/tickets/{ticket_id:\d+}/attachments", AttachmentCollectionView)
    app.router.add_view(r"/tickets/{ticket_id:\d+}/attachments/import", AttachmentImportView)
    app.router.add_view(r"/tickets/{ticket_id:\d+}/attachments/download", AttachmentDownloadView)
