import csv
import hashlib
import io
import os
import uuid

from flask import Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from werkzeug.utils import secure_filename

from ..auth.tokens import account_required
from ..db import get_session
from ..repositories import PartRepository
from ..schemas import PartSchema, PartSearchArgs
from ..worker.queue import enqueue

blp = Blueprint("parts", __name__, url_prefix="/api/v1/parts", description="Parts catalogue")


def _run_search(args):
    repo = PartRepository(get_session())
    offset = (args["page"] - 1) * args["per_page"]
    return repo.search(args["q"].strip(), category=args.get("category"), limit=args["per_page"], offset=offset)


@blp.route("/search")
class PartSearch(MethodView):
    decorators = [account_required()]

    @blp.arguments(PartSearchArgs, location="query")
    @blp.response(200, PartSchema(many=True))
    def get(self, args):
        return _run_search(args)


@blp.route("/<string:sku>")
class PartDetail(MethodView):
    decorators = [account_required()]

    @blp.response(200, PartSchema)
    def get(self, sku):
        part = PartRepository(get_session()).get_by_sku(sku)
        if part is None:
            abort(404, message="Unknown part.")
        return part


@blp.route("/export.csv")
class PartExport(MethodView):
    decorators = [account_required()]

    def get(self):
        parts = PartRepository(get_session()).all_active()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["sku", "name", "brand", "category", "unit_price", "currency", "available"])
        for part in parts:
            writer.writerow([part.sku, part.name, part.brand, part.category, f"{part.unit_price:.2f}", part.currency, max(part.stock_on_hand - part.stock_reserved, 0)])
        body = buffer.getvalue()
        etag = hashlib.md5(body.encode()).hexdigest()
        if request.if_none_match.contains(etag):
            return Response(status=304)
        response = Response(body, mimetype="text/csv")
        response.set_etag(etag)
        response.headers["Content-Disposition"] = "attachment; filename=catalogue.csv"
        return response


@blp.route("/catalog-uploads")
class CatalogUpload(MethodView):
    decorators = [account_required(roles=("staff",))]

    def post(self):
        upload = request.files.get("file")
        supplier_code = request.form.get("supplier_code", "")
        if upload is None or not supplier_code:
            abort(400, message="file and supplier_code are required.")
        upload_dir = os.path.join(current_app.config["EXPORT_DIR"], "uploads")
        os.makedirs(upload_dir, exist_ok=True)
        path = os.path.join(upload_dir, f"{uuid.uuid4().hex}-{secure_filename(upload.filename or 'catalog.xml')}")
        upload.save(path)
        job = enqueue("partsdepot.worker.jobs.import_supplier_catalog", supplier_code, path)
        return {"job_id": job.id, "submitted_by": g.user_id}, 202
