from flask import abort, request
from flask_jwt_extended import jwt_required
from flask_restful import Resource
from marshmallow import ValidationError

from ..auth.decorators import store_staff_required
from ..common.pagination import page_args, paginate
from ..extensions import db
from ..models import Product
from ..schemas import product_in, product_out
from . import repository


class StoreListResource(Resource):
    def get(self):
        return paginate(
            repository.open_stores(),
            lambda s: {"id": s.id, "name": s.name, "slug": s.slug, "address": s.address},
        )


class ProductSearchResource(Resource):
    def get(self):
        page, per_page = page_args()
        rows = repository.search_products(
            term=request.args.get("q"),
            category=request.args.get("category"),
            sort=request.args.get("sort", "relevance"),
            limit=per_page,
            offset=(page - 1) * per_page,
        )
        return {"items": [dict(r, price=str(r["price"])) for r in rows], "page": page}


class StoreProductsResource(Resource):
    method_decorators = {"post": [store_staff_required]}

    def get(self, store_id):
        query = Product.query.filter_by(store_id=store_id, is_active=True).order_by(Product.name)
        return paginate(query, product_out.dump)

    def post(self, store_id):
        try:
            data = product_in.load(request.get_json() or {})
        except ValidationError as err:
            abort(422, description=err.messages)
        product = Product(store_id=store_id, **data)
        db.session.add(product)
        db.session.commit()
        return product_out.dump(product), 201


class ProductResource(Resource):
    method_decorators = {"patch": [store_staff_required], "delete": [store_staff_required]}

    def get(self, store_id, product_id):
        return product_out.dump(repository.get_store_product(store_id, product_id))

    def patch(self, store_id, product_id):
        product = repository.get_store_product(store_id, product_id)
        try:
            changes = product_in.load(request.get_json() or {}, partial=True)
        except ValidationError as err:
            abort(422, description=err.messages)
        for field, value in changes.items():
            setattr(product, field, value)
        db.session.commit()
        return product_out.dump(product)

    def delete(self, store_id, product_id):
        product = repository.get_store_product(store_id, product_id)
        product.is_active = False
        db.session.commit()
        return "", 204


class ProductStockResource(Resource):
    method_decorators = {"get": [jwt_required()]}

    def get(self, store_id, product_id):
        product = repository.get_store_product(store_id, product_id)
        return {"product_id": product.id, "stock": product.stock}

    def put(self, store_id, product_id):
        body = request.get_json() or {}
        stock = body.get("stock")
        if not isinstance(stock, int) or stock < 0:
            abort(422, description="stock must be a non-negative integer")
        product = repository.get_store_product(store_id, product_id)
        product.stock = stock
        db.session.commit()
        return {"product_id": product.id, "stock": product.stock}


class LowStockResource(Resource):
    method_decorators = [store_staff_required]

    def get(self, store_id):
        threshold = request.args.get("threshold", 5, type=int)
        return {"items": [dict(r) for r in repository.low_stock(store_id, threshold)]}
