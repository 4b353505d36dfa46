from flask import Blueprint
from flask_restful import Api

bp = Blueprint("admin", __name__)
api = Api(bp)

from . import resources  # noqa: E402

api.add_resource(resources.AdminUsersResource, "/users")
api.add_resource(resources.AdminUserRoleResource, "/users/<int:user_id>/role")
api.add_resource(resources.AdminRefundResource, "/payments/<int:payment_id>/refunds")
api.add_resource(resources.AdminCreditResource, "/users/<int:user_id>/credit")
api.add_resource(resources.AdminDashboardResource, "/dashboard")
api.add_resource(resources.AdminAuditResource, "/audit")
