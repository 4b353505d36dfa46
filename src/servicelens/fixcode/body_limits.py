"""Request bodies given a size or length limit where they are read or declared.

An `UploadFile` read gets a size check on that very upload; `await request.body()` becomes a
streamed read that stops past the limit; a list parameter or a list field of a request schema
gets `max_length`, so FastAPI answers 422 instead of doing a million items of work.
"""
from __future__ import annotations

import ast
import re

from servicelens.fixcode.source import statement, with_keywords

MAX_ITEMS = 100


def upload_checked(code: str, upload: str, limit: str) -> str | None:
    """`data = await doc.read()` preceded by a size check on `doc` against `limit`."""
    stmt = statement(code)
    if stmt is None:
        return None
    return (f"if {upload}.size is None or {upload}.size > {limit}:\n"
            f"    raise HTTPException(413, \"file too large\")\n{stmt.text}")


def streamed_body(code: str, limit: str) -> str | None:
    """`body = await request.body()` as a streamed read that answers 413 past `limit` bytes."""
    stmt = statement(code)
    node = stmt.node if stmt is not None else None
    if stmt is None or not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Name) \
            or not isinstance(node.value, ast.Await) or not isinstance(node.value.value, ast.Call) \
            or not isinstance(node.value.value.func, ast.Attribute):
        return None
    name, request = node.targets[0].id, stmt.segment(node.value.value.func.value)
    return (f'{name} = b""\nasync for chunk in {request}.stream():\n    {name} += chunk\n'
            f'    if len({name}) > {limit}:\n        raise HTTPException(413, "request body too large")')


def bounded_list_param(def_line: str, param: str, max_items: int = MAX_ITEMS) -> str | None:
    """The handler's def line with `param: list[X]` as `Annotated[list[X], Body(max_length=n)]`."""
    match = re.search(rf"\b{re.escape(param)}\s*:\s*((?:list|List|Sequence)\[[^=]*?\])(?=\s*[,)])", def_line)
    if match is None:
        return None
    annotated = f"Annotated[{match.group(1)}, Body(max_length={max_items})]"
    return def_line[:match.start(1)] + annotated + def_line[match.end(1):] + "\n    ...  # body unchanged"


def bounded_list_field(line: str, max_items: int = MAX_ITEMS) -> str | None:
    """A schema's `items: list[Item]` (or `= Field(...)`, `= []`) with `max_length`."""
    stmt = statement(line)
    node = stmt.node if stmt is not None else None
    if stmt is None or not isinstance(node, ast.AnnAssign):
        return None
    if node.value is None:
        return f"{stmt.text} = Field(max_length={max_items})  # 422 above {max_items} items"
    if isinstance(node.value, ast.Call) and stmt.segment(node.value.func).endswith("Field"):
        fixed = with_keywords(stmt.text, "Field", {"max_length": str(max_items)})
        return f"{fixed}  # 422 above {max_items} items" if fixed else None
    if isinstance(node.value, ast.List) and not node.value.elts:
        return stmt.replace(node.value, f"Field(default_factory=list, max_length={max_items})")
    return None
