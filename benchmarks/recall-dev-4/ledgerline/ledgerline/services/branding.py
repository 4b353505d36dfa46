import uuid
from pathlib import Path

import anyio
import httpx
from fastapi import HTTPException, status

ALLOWED_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}


async def fetch_remote_image(http: httpx.AsyncClient, url: str, max_bytes: int) -> tuple[bytes, str]:
    """Download an image the user pointed us at (e.g. their website's logo)."""
    response = await http.get(url)
    if response.status_code != 200:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, f"Could not fetch image: {response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0]
    if content_type not in ALLOWED_IMAGE_TYPES:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, f"Unsupported type {content_type}")
    if len(response.content) > max_bytes:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "Image too large")
    return response.content, content_type


async def store_logo(base_dir: str, org_id: int, content: bytes, content_type: str) -> str:
    extension = ALLOWED_IMAGE_TYPES[content_type]
    relative = Path("logos") / str(org_id) / f"{uuid.uuid4().hex}{extension}"
    target = Path(base_dir) / relative
    await anyio.Path(target.parent).mkdir(parents=True, exist_ok=True)
    await anyio.Path(target).write_bytes(content)
    return str(relative)
