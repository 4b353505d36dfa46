from aiohttp import web

from labdesk.auth import current_principal, require_role
from labdesk.services.orders import OrderInput, OrderService
from labdesk.services.reports import ReportService
from labdesk.repositories import ClinicRepository
from labdesk.util import etag_for, json_ok, page_params, read_json

routes = web.RouteTableDef()


@routes.view("/orders")
class OrderCollectionView(web.View):
    @require_role("clinician", "clinic_admin")
    async def get(self) -> web.Response:
        limit, offset = page_params(self.request)
        service = OrderService.from_app(self.request.app)
        orders = await service.list_orders(
            current_principal(self.request),
            status=self.request.query.get("status"),
            sort=self.request.query.get("sort", "newest"),
            limit=limit,
            offset=offset,
        )
        return json_ok({"orders": orders, "limit": limit, "offset": offset})

    @require_role("clinician")
    async def post(self) -> web.Response:
        body = await read_json(self.request)
        data = OrderInput.from_body(body)
        service = OrderService.from_app(self.request.app)
        order, created = await service.place_order(
            current_principal(self.request), data, self.request.headers.get("Idempotency-Key")
        )
        return json_ok(order, status=201 if created else 200)


@routes.view("/orders/{order_id:\\d+}")
class OrderView(web.View):
    @require_role("clinician", "clinic_admin")
    async def get(self) -> web.Response:
        service = OrderService.from_app(self.request.app)
        order = await service.get_order(current_principal(self.request), int(self.request.match_info["order_id"]))
        etag = etag_for(order)
        if self.request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return json_ok(order, headers={"ETag": etag})


@routes.get("/orders/{order_id:\\d+}/report.pdf")
@require_role("clinician", "clinic_admin")
async def order_report(request: web.Request) -> web.StreamResponse:
    principal = current_principal(request)
    clinic = await ClinicRepository(request.app["db"]).get(principal.clinic_id)
    if clinic is None:
        raise web.HTTPForbidden()
    service = ReportService.from_app(request.app)
    path = await service.render(principal, clinic["name"], int(request.match_info["order_id"]))
    return web.FileResponse(path, headers={"Content-Type": "application/pdf"})
