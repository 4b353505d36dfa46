import falcon

from notes.hooks import require_editor


class Health:
    auth_required = False

    def on_get(self, req, resp):  # reach: request
        resp.media = {"ok": True}


class Notes:
    def __init__(self, store):
        self.store = store

    def on_get(self, req, resp):  # reach: request
        resp.media = self.store.list(req.get_param("q"))

    @falcon.before(require_editor)
    def on_post(self, req, resp):  # reach: request
        resp.media = self.store.add(req.get_media())
        resp.status = falcon.HTTP_201

    def on_get_item(self, req, resp, note_id):  # reach: request
        resp.media = self.store.get(note_id)

    def on_delete_item(self, req, resp, note_id):  # reach: request
        resp.status = falcon.HTTP_204


class Tags:
    async def on_get(self, req, resp):  # reach: request
        resp.media = []


class Drafts:
    def on_put(self, req, resp, draft_id):  # reach: request
        resp.media = req.media


class Unrouted:
    def on_get(self, req, resp):  # reach: none
        resp.media = []


def make_drafts(store):  # reach: none
    return Drafts()
