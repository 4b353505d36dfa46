"""Queries that return every row, given a bounded page where they are written.

The statement that runs the query is rewritten in its own ORM: SQLAlchemy gets
`.limit(limit).offset(offset)` before `.all()`, a Django queryset goes through `Paginator`,
raw SQL gets `LIMIT %s OFFSET %s` with the values bound; the page size comes from the request
with an upper bound, read the way the handler's framework reads query parameters.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import Statement, find_call, last_name, literal_text, statement

MAX_PAGE = 200


def page_parameters(framework: str) -> str:
    """Lines reading a bounded `limit` and an `offset` from the request ('' for FastAPI, whose
    handler declares them as parameters)."""
    if framework == "flask":
        return (f'limit = min(request.args.get("limit", 50, type=int), {MAX_PAGE})\n'
                'offset = request.args.get("offset", 0, type=int)\n')
    if framework == "fastapi":
        return f"# handler parameters: limit: int = Query(50, le={MAX_PAGE}), offset: int = Query(0, ge=0)\n"
    if framework == "django":
        return ""
    return f"limit, offset = min(limit, {MAX_PAGE}), offset  # from the request\n"


def bounded(code: str, query: str, orm: str, framework: str) -> str | None:
    """The statement `code` running `query` (its source text) with a bounded page."""
    stmt = statement(code)
    if stmt is None:
        return None
    if orm == "sqlalchemy" and query in stmt.text:
        paged = _sqlalchemy(query)
        return page_parameters(framework) + stmt.text.replace(query, paged, 1) if paged else None
    if orm == "django" and query in stmt.text:
        return stmt.text.replace(query, f'Paginator({query}, 50).get_page(request.GET.get("page"))', 1)
    if orm == "dbapi":
        return _sql(stmt, framework)
    return None


def _sqlalchemy(query: str) -> str | None:
    """`q.all()` -> `q.limit(limit).offset(offset).all()`; in 2.0 style the page goes on the
    `select(...)` inside `session.scalars(...)` / `session.execute(...)`."""
    page = ".limit(limit).offset(offset)"
    try:
        node = ast.parse(query, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "all"):
        return None
    inner = node.func.value
    if isinstance(inner, ast.Call) and last_name(inner.func) in ("scalars", "execute") and inner.args:
        select = ast.get_source_segment(query, inner.args[0]) or ""
        end = inner.args[0].end_col_offset or 0
        return query[:end] + page + query[end:] if select and inner.args[0].end_lineno == 1 else None
    return query[:-len(".all()")] + page + ".all()"


def _sql(stmt: Statement, framework: str) -> str | None:
    call = find_call(stmt, names=("execute",))
    sql = call.args[0] if call is not None and call.args else None
    text = literal_text(sql) if sql is not None else None
    if call is None or sql is None or text is None or len(call.args) > 1:
        return None
    order = "" if "order by" in text.lower() else " ORDER BY id"
    fixed = stmt.replace(sql, f'"{text.rstrip().rstrip(";")}{order} LIMIT %s OFFSET %s", (limit, offset)')
    return page_parameters(framework) + fixed


def paginated_view(class_line: str, queryset: str, django: bool = False) -> str:
    """A list view with a paginator of its own (its queryset line kept): DRF's pagination class,
    or a page size for Django's generic `ListView`."""
    if django:
        return f"{class_line}\n    queryset = {queryset}\n    paginate_by = 50"
    return ("from rest_framework.pagination import LimitOffsetPagination\n\n\n"
            f"{class_line}\n    queryset = {queryset}\n"
            "    pagination_class = LimitOffsetPagination  # max_limit / PAGE_SIZE in REST_FRAMEWORK settings")

