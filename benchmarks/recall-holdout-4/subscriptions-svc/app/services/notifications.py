import logging
from decimal import Decimal

import httpx

logger = logging.getLogger(__name__)


async def send_email(http: httpx.AsyncClient, mailer_url: str, to: str, template: str, context: dict) -> None:
    """Best-effort transactional email; failures are logged and alerted on, never raised to the user."""
    try:
        resp = await http.post(mailer_url, json={"to": to, "template": template, "context": context})
        resp.raise_for_status()
    except httpx.HTTPError:
        logger.exception("email %s to user failed", template)


async def send_receipt(http: httpx.AsyncClient, mailer_url: str, to: str, invoice_id: int, amount: Decimal,
                       currency: str) -> None:
    await send_email(http, mailer_url, to, "receipt", {"invoice_id": invoice_id, "amount": str(amount),
                                                       "currency": currency})


async def send_password_reset(http: httpx.AsyncClient, mailer_url: str, to: str, link: str) -> None:
    await send_email(http, mailer_url, to, "password_reset", {"link": link})
