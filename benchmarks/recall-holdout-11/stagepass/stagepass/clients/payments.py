import requests


class PaymentError(Exception):
    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


class PaymentDeclined(PaymentError):
    pass


class PayGateClient:
    max_attempts = 4

    def __init__(self, session, base_url, api_key):
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key

    def _post(self, path, payload, idempotency_key=None):
        headers = {"Authorization": f"Bearer {self.api_key}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self.session.post(f"{self.base_url}{path}", json=payload, headers=headers)
            except requests.RequestException:
                if attempt < self.max_attempts:
                    continue
                raise PaymentError("payment provider unreachable")
            break
        body = resp.json() if resp.content else {}
        if resp.status_code == 402:
            raise PaymentDeclined(body.get("message", "declined"), body.get("code"))
        if resp.status_code >= 400:
            raise PaymentError(f"paygate {path} failed with {resp.status_code}", body.get("code"))
        return body

    def charge(self, *, amount_minor, currency, source, reference, idempotency_key=None):
        payload = {"amount": amount_minor, "currency": currency, "source": source,
                   "reference": reference, "capture": True}
        return self._post("/charges", payload, idempotency_key)

    def refund(self, *, charge_id, amount_minor, idempotency_key):
        payload = {"charge": charge_id, "amount": amount_minor}
        return self._post("/refunds", payload, idempotency_key)

    def transfer(self, *, account_id, amount_minor, currency, idempotency_key):
        payload = {"destination": account_id, "amount": amount_minor, "currency": currency}
        return self._post("/transfers", payload, idempotency_key)
