from flask import Blueprint
from flask.views import MethodView


def register_api(bp: Blueprint, view: type[MethodView], endpoint: str, url: str, pk: str = "item_id"):
    """Wire a MethodView to the usual collection/item URL pair.

    GET with no id lists, POST creates; GET/PATCH/DELETE with an id act on one item.
    """
    view_func = view.as_view(endpoint)
    if hasattr(view, "get"):
        bp.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
    if hasattr(view, "post"):
        bp.add_url_rule(url, view_func=view_func, methods=["POST"])
    item_methods = [m.upper() for m in ("get", "patch", "put", "delete") if hasattr(view, m)]
    if item_methods:
        bp.add_url_rule(f"{url}/<int:{pk}>", view_func=view_func, methods=item_methods)
