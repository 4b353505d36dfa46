import falcon

from stagepass.hooks import require_partner_key
from stagepass.resources import json_body, string_field


@falcon.before(require_partner_key)
class PartnerCheckinResource:
    auth_exempt = True

    def __init__(self, checkin):
        self.checkin = checkin

    def on_post(self, req, resp, event_id):
        body = json_body(req)
        resp.media = self.checkin.check_in(
            event_id,
            string_field(body, "code", max_length=32),
            string_field(body, "gate", max_length=32, required=False),
        )

    def on_post_batch(self, req, resp, event_id):
        body = json_body(req)
        results = self.checkin.check_in_batch(
            event_id, body.get("codes"), string_field(body, "gate", max_length=32, required=False)
        )
        resp.media = {"results": results}


class PayGateWebhookResource:
    auth_exempt = True

    def __init__(self, webhooks, max_bytes=256 * 1024):
        self.webhooks = webhooks
        self.max_bytes = max_bytes

    def on_post(self, req, resp):
        raw = req.bounded_stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise falcon.HTTPPayloadTooLarge(title="Event too large")
        if not self.webhooks.verify(raw, req.get_header("PayGate-Signature")):
            raise falcon.HTTPUnauthorized(title="Invalid signature")
        resp.media = {"result": self.webhooks.handle(raw)}
