"""Manual result upload for point-of-care devices (CSV exported by the analyser)."""
import csv
import io
import logging
import traceback

from aiohttp import web

from labdesk.auth import clinic_scope, current_principal, require_role
from labdesk.repositories import OrderRepository, ResultRepository

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

REQUIRED_COLUMNS = {"accession", "code", "value", "unit"}
MAX_ROWS = 500


def _parse(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
    return [row for row in reader]


@routes.post("/uploads/poc-results")
@require_role("clinician")
async def upload_poc_results(request: web.Request) -> web.Response:
    principal = current_principal(request)
    clinic_id = clinic_scope(principal)
    limit = request.app["settings"].max_upload_bytes
    if request.content_length is None or request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(limit, request.content_length or 0)

    orders = OrderRepository(request.app["db"])
    results = ResultRepository(request.app["db"])
    try:
        rows = _parse((await request.read()).decode("utf-8-sig"))[:MAX_ROWS]
        known = await orders.by_accessions(clinic_id, sorted({r["accession"] for r in rows}))
        batch = [
            (o["id"], o["clinic_id"], o["patient_id"], o["accession_no"], r["code"], r["value"], r["unit"],
             r.get("range"), r.get("flag"))
            for r in rows
            if (o := known.get(r["accession"])) is not None
        ]
        await results.insert_device_rows(batch)
        stored = len(batch)
    except Exception as exc:
        log.warning("poc upload failed for clinic %s", clinic_id)
        return web.json_response(
            {"error": f"could not import file: {exc}", "trace": traceback.format_exc()}, status=422
        )
    return web.json_response({"stored": stored})
