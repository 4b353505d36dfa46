import falcon


def json_body(req):
    body = req.get_media(default_when_empty=None)
    if not isinstance(body, dict):
        raise falcon.HTTPBadRequest(title="Expected a JSON object")
    return body


def string_field(body, name, max_length=255, required=True):
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise falcon.HTTPBadRequest(title=f"'{name}' must be a string of at most {max_length} characters")
    return value.strip()


def int_field(body, name, minimum=1):
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise falcon.HTTPBadRequest(title=f"'{name}' must be an integer >= {minimum}")
    return value
