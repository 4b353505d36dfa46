from flask import request

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


def page_args():
    try:
        page = max(int(request.args.get("page", 1)), 1)
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        page, per_page = 1, DEFAULT_PER_PAGE
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    return page, per_page


def paginate(query, serialize):
    page, per_page = page_args()
    result = query.paginate(page=page, per_page=per_page, error_out=False)
    return {
        "items": [serialize(obj) for obj in result.items],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
    }
