from stagepass.resources import json_body


class MeResource:
    def __init__(self, accounts):
        self.accounts = accounts

    def on_get(self, req, resp):
        resp.media = self.accounts.profile(req.context.user.id)

    def on_patch(self, req, resp):
        changes = json_body(req)
        resp.media = self.accounts.update_profile(req.context.user.id, changes)
