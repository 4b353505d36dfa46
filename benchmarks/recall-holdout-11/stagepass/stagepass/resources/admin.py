import falcon

from stagepass.hooks import require_role
from stagepass.resources import json_body, string_field


@falcon.before(require_role("admin"))
class AdminUserRoleResource:
    def __init__(self, accounts):
        self.accounts = accounts

    def on_put(self, req, resp, user_id):
        role = string_field(json_body(req), "role", max_length=16)
        resp.media = self.accounts.change_role(user_id, role)


class AdminRefundResource:
    def __init__(self, refunds):
        self.refunds = refunds

    def on_post(self, req, resp, order_id):
        reason = string_field(json_body(req), "reason", max_length=500)
        resp.media = self.refunds.refund_order(order_id, req.context.user.id, reason)


@falcon.before(require_role("admin"))
class AdminPayoutRunResource:
    def __init__(self, queue):
        self.queue = queue

    def on_post(self, req, resp):
        from stagepass.jobs import schedule_payouts, send_payouts

        schedule = self.queue.enqueue(schedule_payouts)
        send = self.queue.enqueue(send_payouts, depends_on=schedule)
        resp.status = falcon.HTTP_202
        resp.media = {"jobs": [schedule.id, send.id]}
