import falcon


class TokenMiddleware:
    def process_resource(self, req, resp, resource, params):  # reach: request
        if resource is None or not getattr(resource, "auth_required", True):
            return
        if req.get_header("Authorization") is None:
            raise falcon.HTTPUnauthorized(title="token required")


class Timing:
    def process_response(self, req, resp, resource, req_succeeded):  # reach: request
        resp.set_header("X-Took", "1")
