from aiohttp import web

from labdesk.auth import current_principal, require_role
from labdesk.services.patients import PatientService
from labdesk.util import json_ok, page_params, read_json

routes = web.RouteTableDef()


@routes.view("/patients")
class PatientCollectionView(web.View):
    @require_role("clinician", "clinic_admin", "front_desk")
    async def get(self) -> web.Response:
        limit, _ = page_params(self.request, default=25)
        service = PatientService.from_app(self.request.app)
        rows = await service.search(current_principal(self.request), dict(self.request.query), limit)
        return json_ok({"patients": rows})

    @require_role("clinic_admin", "front_desk")
    async def post(self) -> web.Response:
        service = PatientService.from_app(self.request.app)
        row = await service.register(current_principal(self.request), await read_json(self.request))
        return json_ok(row, status=201)


@routes.view("/patients/{patient_id:\\d+}")
class PatientView(web.View):
    @property
    def patient_id(self) -> int:
        return int(self.request.match_info["patient_id"])

    @require_role("clinic_admin", "front_desk")
    async def patch(self) -> web.Response:
        service = PatientService.from_app(self.request.app)
        body = await read_json(self.request)
        row = await service.update(current_principal(self.request), self.patient_id, body)
        return json_ok(row)


@routes.get("/patients/{patient_id:\\d+}/timeline")
@require_role("clinician")
async def patient_timeline(request: web.Request) -> web.Response:
    service = PatientService.from_app(request.app)
    data = await service.timeline(current_principal(request), int(request.match_info["patient_id"]))
    return json_ok(data)


@routes.get("/patients/{patient_id:\\d+}/results")
@require_role("clinician")
async def patient_results(request: web.Request) -> web.Response:
    service = PatientService.from_app(request.app)
    rows = await service.results(current_principal(request), int(request.match_info["patient_id"]))
    return json_ok({"results": rows})
