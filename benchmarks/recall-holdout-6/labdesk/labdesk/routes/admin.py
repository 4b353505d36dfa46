"""Back-office endpoints used by lab operations staff."""
from aiohttp import web

from labdesk.auth import current_principal, require_role
from labdesk.repositories import ClinicRepository, KitRepository
from labdesk.util import json_ok, page_params, read_json

routes = web.RouteTableDef()

KNOWN_ROLES = {"clinician", "clinic_admin", "front_desk", "lab_admin"}


@routes.get("/admin/clinics")
@require_role("lab_admin")
async def list_clinics(request: web.Request) -> web.Response:
    limit, offset = page_params(request)
    rows = await ClinicRepository(request.app["db"]).list_active(limit, offset)
    return json_ok({"clinics": [dict(r) for r in rows]})


@routes.view("/admin/clinics/{clinic_id:\\d+}/credits")
class ClinicCreditsView(web.View):
    @require_role("lab_admin")
    async def post(self) -> web.Response:
        body = await read_json(self.request)
        amount = body.get("amount")
        if not isinstance(amount, int) or not 0 < amount <= 10_000:
            raise web.HTTPBadRequest(reason="amount must be an integer between 1 and 10000")
        credits = await ClinicRepository(self.request.app["db"]).top_up(
            int(self.request.match_info["clinic_id"]), amount, current_principal(self.request).user_id
        )
        return json_ok({"credits": credits})


@routes.view("/admin/clinics/{clinic_id:\\d+}/kits")
class ClinicKitsView(web.View):
    @require_role("lab_admin")
    async def get(self) -> web.Response:
        rows = await KitRepository(self.request.app["db"]).levels(int(self.request.match_info["clinic_id"]))
        return json_ok({"kits": [dict(r) for r in rows]})

    @require_role("lab_admin")
    async def post(self) -> web.Response:
        body = await read_json(self.request)
        try:
            kit_type, count = str(body["kit_type"]), int(body["count"])
        except (KeyError, ValueError):
            raise web.HTTPBadRequest(reason="kit_type and count are required")
        left = await KitRepository(self.request.app["db"]).restock(
            int(self.request.match_info["clinic_id"]), kit_type, count
        )
        return json_ok({"available": left})


@routes.view("/admin/staff/{staff_id:\\d+}/roles")
class StaffRolesView(web.View):
    async def put(self) -> web.Response:
        principal = current_principal(self.request)
        body = await read_json(self.request)
        roles = body.get("roles")
        if not isinstance(roles, list) or not set(roles) <= KNOWN_ROLES:
            raise web.HTTPBadRequest(reason=f"roles must be a subset of {sorted(KNOWN_ROLES)}")
        row = await ClinicRepository(self.request.app["db"]).set_staff_roles(
            int(self.request.match_info["staff_id"]), sorted(roles)
        )
        if row is None:
            raise web.HTTPNotFound(reason="staff member not found")
        self.request.app.logger.info("staff %s roles set to %s by %s", row["id"], roles, principal.user_id)
        return json_ok(dict(row))


@routes.get("/admin/clinics/{clinic_id:\\d+}/staff")
@require_role("lab_admin", "clinic_admin")
async def clinic_staff(request: web.Request) -> web.Response:
    principal = current_principal(request)
    clinic_id = int(request.match_info["clinic_id"])
    if not principal.has_role("lab_admin") and principal.clinic_id != clinic_id:
        raise web.HTTPForbidden(reason="not your clinic")
    rows = await ClinicRepository(request.app["db"]).staff_for_clinic(clinic_id)
    return json_ok({"staff": [dict(r) for r in rows]})
