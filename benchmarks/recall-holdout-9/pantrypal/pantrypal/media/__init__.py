from flask import Blueprint
from flask_restful import Api

bp = Blueprint("media", __name__)
api = Api(bp)

from . import resources  # noqa: E402

api.add_resource(resources.ProductImageUploadResource, "/stores/<int:store_id>/products/<int:product_id>/image")
api.add_resource(resources.ProductImageImportResource, "/stores/<int:store_id>/products/<int:product_id>/image/import")
api.add_resource(resources.ProductImageUrlResource, "/products/<int:product_id>/image-url")
api.add_resource(resources.StoreReportResource, "/stores/<int:store_id>/reports")
