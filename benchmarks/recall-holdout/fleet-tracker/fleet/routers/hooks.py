import hashlib
import hmac

from fastapi import APIRouter, Depends, Header, HTTPException, Request

from ..container import fuel_service
from ..schemas import FuelTransactionIn
from ..services.fuel import FuelService
from ..settings import Settings, get_settings

router = APIRouter(prefix="/hooks", tags=["hooks"])


async def verified_body(
    request: Request,
    x_provider_signature: str = Header(...),
    settings: Settings = Depends(get_settings),
) -> bytes:
    body = await request.body()
    digest = hmac.new(settings.telematics_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(digest, x_provider_signature):
        raise HTTPException(401, "bad signature")
    return body


@router.post("/fuel", status_code=201)
async def fuel_transaction(
    body: bytes = Depends(verified_body),
    svc: FuelService = Depends(fuel_service),
) -> dict:
    data = FuelTransactionIn.model_validate_json(body)
    tx = await svc.ingest(data)
    return {"id": tx.id}
