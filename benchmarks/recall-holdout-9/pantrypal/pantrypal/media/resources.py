import os

from flask import abort, request, send_file
from flask_restful import Resource

from ..auth.decorators import store_staff_required
from ..catalog.repository import get_store_product
from ..extensions import db
from ..models import Product
from ..tasks import export_store_orders
from . import storage


class ProductImageUploadResource(Resource):
    method_decorators = [store_staff_required]

    def post(self, store_id, product_id):
        product = get_store_product(store_id, product_id)
        upload = request.files.get("image")
        if upload is None or upload.mimetype not in storage.ALLOWED_TYPES:
            abort(422, description="jpeg, png or webp image required")
        product.image_key = storage.put_image(store_id, upload.stream, upload.mimetype)
        db.session.commit()
        return {"image_key": product.image_key}, 201


class ProductImageImportResource(Resource):
    method_decorators = [store_staff_required]

    def post(self, store_id, product_id):
        product = get_store_product(store_id, product_id)
        url = (request.get_json() or {}).get("url", "")
        if not url.startswith(("http://", "https://")):
            abort(422, description="url must be http(s)")
        try:
            product.image_key = storage.import_image_from_url(store_id, url)
        except ValueError as err:
            abort(422, description=str(err))
        db.session.commit()
        return {"image_key": product.image_key}, 201


class ProductImageUrlResource(Resource):
    def get(self, product_id):
        product = Product.query.filter_by(id=product_id, is_active=True).first_or_404()
        if not product.image_key:
            abort(404)
        return {"url": storage.presigned_url(product.image_key)}


class StoreReportResource(Resource):
    method_decorators = [store_staff_required]

    def get(self, store_id):
        name = request.args.get("file")
        if not name:
            files = sorted(os.listdir(storage.report_dir(store_id))) if os.path.isdir(storage.report_dir(store_id)) else []
            return {"files": files}
        path = storage.report_path(store_id, name)
        if not os.path.isfile(path):
            abort(404)
        return send_file(path, mimetype=storage.guess_type(path), as_attachment=True)

    def post(self, store_id):
        export_store_orders.delay(store_id)
        return {"status": "queued"}, 202
