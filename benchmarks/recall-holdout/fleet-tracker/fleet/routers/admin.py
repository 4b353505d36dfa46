import requests
from fastapi import APIRouter, Depends

from ..container import Container, get_container, trip_service
from ..schemas import WebhookTest
from ..security import require_role
from ..services.trips import TripService

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_role("admin", "manager"))],
)


@router.post("/webhooks/test")
async def test_webhook(body: WebhookTest, svc: TripService = Depends(trip_service)) -> dict:
    code = await svc.send_test(str(body.url), body.event)
    return {"delivered": 200 <= code < 300, "status": code}


@router.get("/provider-status")
def provider_status(c: Container = Depends(get_container)) -> dict:
    resp = requests.get(f"{c.settings.maps_base_url}/status", timeout=3)
    return {"maps": resp.status_code == 200}
