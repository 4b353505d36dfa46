"""Clients for the services ticket-desk talks to."""
import asyncio
import json
import logging
import random
import urllib.request

import aiohttp
import requests

log = logging.getLogger(__name__)


class SlackNotifier:
    def __init__(self, http: aiohttp.ClientSession, webhook_url: str | None):
        self._http = http
        self._url = webhook_url

    async def _post(self, payload: dict) -> None:
        if not self._url:
            return
        for attempt in range(3):
            try:
                async with self._http.post(self._url, json=payload) as resp:
                    if resp.status < 500:
                        return
            except aiohttp.ClientError:
                log.warning("slack post failed (attempt %d)", attempt + 1)
            await asyncio.sleep(0.5 * 2 ** attempt + random.uniform(0, 0.25))
        log.error("giving up on slack notification")

    async def ticket_created(self, ticket_id: int, subject: str, priority: str) -> None:
        await self._post({"text": f":ticket: #{ticket_id} [{priority}] {subject}"})

    async def escalation_digest(self, rows) -> None:
        lines = [f"• #{r['id']} {r['subject']} ({r['org_name']})" for r in rows]
        await self._post({"text": ":rotating_light: SLA breached:\n" + "\n".join(lines)})


class Mailer:
    def __init__(self, http: aiohttp.ClientSession, api_url: str, api_key: str):
        self._http = http
        self._url = api_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}

    async def send(self, to: str, template: str, variables: dict) -> None:
        body = {"to": to, "template": template, "variables": variables}
        async with self._http.post(f"{self._url}/v1/send", json=body, headers=self._headers) as resp:
            resp.raise_for_status()

    async def send_password_reset(self, to: str, token: str) -> None:
        await self.send(to, "password-reset", {"token": token})


class CrmClient:
    """Looks up a customer's support tier in the CRM."""

    def __init__(self, base_url: str, api_key: str):
        self._base = base_url.rstrip("/")
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Token {api_key}"

    async def customer_tier(self, email: str) -> str:
        resp = self._session.get(f"{self._base}/api/v2/contacts", params={"email": email}, timeout=3)
        if resp.status_code != 200:
            return "standard"
        contacts = resp.json().get("results", [])
        return contacts[0].get("support_tier", "standard") if contacts else "standard"


class SpamChecker:
    def __init__(self, url: str, threshold: float = 0.9):
        self._url = url
        self._threshold = threshold

    def _score(self, text: str) -> float:
        req = urllib.request.Request(
            self._url,
            data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(req) as resp:
            return float(json.load(resp).get("score", 0.0))

    async def is_spam(self, text: str) -> bool:
        loop = asyncio.get_running_loop()
        score = await loop.run_in_executor(None, self._score, text)
        return score >= self._threshold
