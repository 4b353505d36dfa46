import datetime as dt

from aiohttp import web

from labdesk.auth import clinic_scope, current_principal, require_role
from labdesk.repositories import ResultRepository
from labdesk.services.results import ResultService
from labdesk.util import json_ok, page_params, read_json

routes = web.RouteTableDef()


@routes.view("/results/{result_id:\\d+}")
class ResultView(web.View):
    @require_role("clinician", "clinic_admin")
    async def get(self) -> web.Response:
        result_id = int(self.request.match_info["result_id"])
        row = await ResultRepository(self.request.app["db"]).get(result_id)
        if row is None:
            raise web.HTTPNotFound(reason="result not found")
        return json_ok(dict(row))


@routes.view("/results/{result_id:\\d+}/release")
class ResultReleaseView(web.View):
    @require_role("clinician")
    async def post(self) -> web.Response:
        service = ResultService.from_app(self.request.app)
        row = await service.release(current_principal(self.request), int(self.request.match_info["result_id"]))
        return json_ok(row)


@routes.view("/results/{result_id:\\d+}/attachments")
class ResultAttachmentView(web.View):
    @require_role("clinician", "clinic_admin")
    async def post(self) -> web.Response:
        body = await read_json(self.request)
        source_url = body.get("source_url")
        if not isinstance(source_url, str) or not source_url:
            raise web.HTTPBadRequest(reason="source_url is required")
        service = ResultService.from_app(self.request.app)
        attachment_id = await service.attach_from_url(
            current_principal(self.request), int(self.request.match_info["result_id"]), source_url
        )
        return json_ok({"attachment_id": attachment_id}, status=201)


@routes.get("/worklist")
@require_role("clinician")
async def worklist(request: web.Request) -> web.Response:
    limit, _ = page_params(request, default=100)
    service = ResultService.from_app(request.app)
    rows = await service.worklist(
        current_principal(request),
        flag=request.query.get("flag"),
        sort=request.query.get("sort", "received_at"),
        direction=request.query.get("dir", "desc"),
        limit=limit,
    )
    return json_ok({"results": rows})


@routes.get("/exports/results.csv")
@require_role("clinic_admin")
async def export_results(request: web.Request) -> web.Response:
    principal = current_principal(request)
    try:
        since = dt.datetime.fromisoformat(request.query["since"])
    except (KeyError, ValueError):
        raise web.HTTPBadRequest(reason="since=<ISO timestamp> is required")
    if since < dt.datetime.now(since.tzinfo) - dt.timedelta(days=93):
        raise web.HTTPBadRequest(reason="exports are limited to the last 93 days")
    body = await ResultRepository(request.app["db"]).export_csv(clinic_scope(principal), since)
    return web.Response(
        text=body,
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="results.csv"'},
    )
