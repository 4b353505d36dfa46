import falcon


def require_editor(req, resp, resource, params):  # reach: request
    if "editor" not in req.context.get("roles", ()):
        raise falcon.HTTPForbidden(title="editors only")


def add_timing(req, resp, resource, params):  # reach: none
    req.context["started"] = 1
