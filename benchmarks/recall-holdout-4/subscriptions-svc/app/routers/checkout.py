from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from app.deps import SettingsDep

router = APIRouter(prefix="/checkout", tags=["checkout"])


def _billing_page(settings, suffix: str = "") -> str:
    return f"{settings.frontend_base_url}/billing{suffix}"


@router.get("/return")
async def checkout_return(settings: SettingsDep, next: str | None = None,
                          payment_status: str = Query("succeeded", alias="status")):
    """PayGate sends the browser back here after 3-D Secure; the SPA then polls the subscription."""
    if payment_status != "succeeded":
        return RedirectResponse(_billing_page(settings, "?payment=failed"), status_code=303)
    target = next or _billing_page(settings)
    return RedirectResponse(target, status_code=303)
