import logging

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, require_scope
from meterly.models import ApiKey
from meterly.schemas import ApiKeyCreatedOut, ApiKeyIn
from meterly.security import generate_api_key

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api-keys", tags=["api-keys"])


@router.post("", response_model=ApiKeyCreatedOut, status_code=201)
async def create_key(
    body: ApiKeyIn,
    principal: Principal = Depends(require_scope("org:admin")),
    session: AsyncSession = Depends(get_session),
):
    full_key, prefix, key_hash = generate_api_key()
    key = ApiKey(org_id=principal.org_id, prefix=prefix, key_hash=key_hash, label=body.label)
    session.add(key)
    await session.commit()
    log.info("api key created org=%s label=%s key=%s", principal.org_id, body.label, full_key)
    return ApiKeyCreatedOut(id=key.id, prefix=prefix, key=full_key)


@router.get("")
async def list_keys(
    principal: Principal = Depends(require_scope("org:admin")),
    session: AsyncSession = Depends(get_session),
):
    rows = await session.scalars(
        select(ApiKey).where(ApiKey.org_id == principal.org_id).order_by(ApiKey.id).limit(100)
    )
    return [{"id": k.id, "prefix": k.prefix, "label": k.label, "revoked": k.revoked} for k in rows]


@router.delete("/{key_id}", status_code=204)
async def revoke_key(
    key_id: int,
    principal: Principal = Depends(require_scope("org:admin")),
    session: AsyncSession = Depends(get_session),
):
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.org_id == principal.org_id)
        .values(revoked=True)
    )
    if result.rowcount == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "api key not found")
    await session.commit()
    log.info("api key revoked", extra={"org_id": principal.org_id, "key_id": key_id})
