"""PayGrid card payments."""


class PaymentDeclined(Exception):
    pass


class PaymentsUnavailable(Exception):
    pass


class PaymentsClient:
    def __init__(self, base_url, api_key, session):
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._session.headers["Authorization"] = f"Bearer {api_key}"

    def _post(self, path, payload, idempotency_key=None):
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        resp = self._session.post(f"{self.base_url}{path}", json=payload, headers=headers)
        if resp.status_code in (402, 422):
            raise PaymentDeclined(resp.json().get("message", "declined"))
        if resp.status_code >= 500:
            raise PaymentsUnavailable(f"payments returned {resp.status_code}")
        resp.raise_for_status()
        return resp.json()

    def create_charge(self, amount_cents, currency, card_token, description, idempotency_key=None):
        return self._post(
            "/charges",
            {"amount": amount_cents, "currency": currency, "card": card_token, "description": description},
            idempotency_key,
        )

    def create_refund(self, charge_id, amount_cents, idempotency_key):
        return self._post("/refunds", {"charge": charge_id, "amount": amount_cents}, idempotency_key)
