import logging

import httpx

from ..config import get_settings

logger = logging.getLogger(__name__)


async def send_invoice_email(http: httpx.AsyncClient, to: str, invoice_number: int, link: str) -> None:
    """Hand an invoice e-mail to the mail relay. Called from BackgroundTasks."""
    settings = get_settings()
    try:
        response = await http.post(
            f"{settings.mail_relay_url}/v1/messages",
            json={"to": to, "template": "invoice", "vars": {"number": invoice_number, "link": link}},
        )
        response.raise_for_status()
    except httpx.HTTPError:
        # the invoice is already open and visible in the portal; the user can resend
        logger.exception("invoice e-mail for #%s could not be queued", invoice_number)
