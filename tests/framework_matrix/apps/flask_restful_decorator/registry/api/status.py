from flask_restful import Api, Resource

from registry.api import api_bp

# flask-restful's own decorator on an Api bound to the blueprint (served below /api/status)
status_api = Api(api_bp, prefix="/status")


@status_api.resource("/ping")
class Ping(Resource):
    def get(self):  # reach: request
        return {"ok": True}
