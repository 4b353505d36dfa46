import hashlib
import json

import falcon

from stagepass.hooks import rate_limited, require_role
from stagepass.pagination import page, page_params
from stagepass.resources import json_body, string_field


class EventSearchResource:
    auth_exempt = True

    def __init__(self, catalogue):
        self.catalogue = catalogue

    @falcon.before(rate_limited("search"))
    def on_get(self, req, resp):
        limit, after_id = page_params(req)
        rows = self.catalogue.search(city=req.get_param("city"), text=req.get_param("q"),
                                     category=req.get_param("category"), sort=req.get_param("sort", default="date"),
                                     after_id=after_id, limit=limit)
        resp.media = page(rows, limit)


class EventResource:
    auth_exempt = True

    def __init__(self, catalogue, json_default):
        self.catalogue = catalogue
        self.json_default = json_default

    def on_get(self, req, resp, event_id):
        event = self.catalogue.get_event(event_id)
        body = json.dumps(event, default=self.json_default, sort_keys=True).encode("utf-8")
        etag = '"' + hashlib.md5(body).hexdigest() + '"'
        resp.set_header("ETag", etag)
        resp.cache_control = ["public", "max-age=60"]
        if req.get_header("If-None-Match") == etag:
            resp.status = falcon.HTTP_304
            return
        resp.content_type = falcon.MEDIA_JSON
        resp.data = body


class OrganiserEventResource:
    def __init__(self, catalogue):
        self.catalogue = catalogue

    @falcon.before(require_role("organiser", "admin"))
    def on_patch(self, req, resp, event_id):
        resp.media = self.catalogue.update_event(req.context.user.id, event_id, json_body(req))


@falcon.before(require_role("organiser", "admin"))
class AttendeesResource:
    def __init__(self, catalogue):
        self.catalogue = catalogue

    def on_get(self, req, resp, event_id):
        rows = self.catalogue.attendees(req.context.user.id, event_id)
        resp.media = {"event_id": event_id, "attendees": rows, "count": len(rows)}


@falcon.before(require_role("organiser", "admin"))
class PosterResource:
    def __init__(self, media):
        self.media = media

    def on_put(self, req, resp, event_id):
        body = json_body(req)
        if "asset_id" in body:
            url = self.media.attach_cdn_asset(req.context.user.id, event_id, body["asset_id"])
        else:
            url = self.media.import_poster(
                req.context.user.id, event_id, string_field(body, "image_url", max_length=2048)
            )
        resp.media = {"poster_url": url}


@falcon.before(require_role("organiser", "admin"))
class ExportResource:
    def __init__(self, catalogue, media, queue):
        self.catalogue = catalogue
        self.media = media
        self.queue = queue

    def on_post(self, req, resp, event_id):
        from stagepass.jobs import export_attendees

        self.catalogue.owned_event(req.context.user.id, event_id)
        job = self.queue.enqueue(export_attendees, req.context.user.id, event_id, job_timeout=1800)
        resp.status = falcon.HTTP_202
        resp.media = {"job_id": job.id}

    def on_get_download(self, req, resp):
        path = self.media.export_path(req.context.user.id, req.get_param("name", required=True))
        resp.content_type = "text/csv"
        resp.downloadable_as = path.rsplit("/", 1)[-1]
        resp.stream = open(path, "rb")
