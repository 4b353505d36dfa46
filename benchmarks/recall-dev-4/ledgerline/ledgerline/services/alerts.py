import logging

import requests

from ..config import get_settings

logger = logging.getLogger(__name__)


async def notify_finance_channel(text: str) -> None:
    """Post a short message to the finance team's Slack channel, if configured."""
    url = get_settings().slack_alerts_webhook
    if not url:
        return
    try:
        requests.post(url, json={"text": text}, timeout=5)
    except requests.RequestException:
        logger.warning("slack alert failed", exc_info=True)
