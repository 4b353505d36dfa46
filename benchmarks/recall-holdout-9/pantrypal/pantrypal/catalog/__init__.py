from flask import Blueprint
from flask_restful import Api

bp = Blueprint("catalog", __name__)
api = Api(bp)

from . import resources  # noqa: E402

api.add_resource(resources.StoreListResource, "/stores")
api.add_resource(resources.ProductSearchResource, "/products")
api.add_resource(resources.StoreProductsResource, "/stores/<int:store_id>/products")
api.add_resource(resources.ProductResource, "/stores/<int:store_id>/products/<int:product_id>")
api.add_resource(resources.ProductStockResource, "/stores/<int:store_id>/products/<int:product_id>/stock")
api.add_resource(resources.LowStockResource, "/stores/<int:store_id>/low-stock")
