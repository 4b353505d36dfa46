"""Paths inside the code's own package: a file found from `__file__` ships with the release.

`Path(__file__).parent / "templates" / name`, `os.path.join(os.path.dirname(__file__), "data")`,
and module constants or locals bound to such a path: what sits there was written by the project's
authors and copied in at build time, so its size is fixed by the release, not by a user or by
how long the service has run. A file name appended to such a directory (`assets_dir / filename`)
still resolves inside it.
"""
from __future__ import annotations

from typing import Mapping

from servicelens import ir

# calls that keep a path's root: the first argument (or the receiver) decides where it points
_PATH_CALLS = frozenset({"os.path.join", "os.path.dirname", "os.path.abspath", "os.path.realpath",
                         "os.path.normpath", "pathlib.Path", "Path", "PurePath", "str", "os.fspath"})
_PATH_METHODS = frozenset({"resolve", "absolute", "joinpath", "with_name", "with_suffix", "expanduser"})
_PATH_ATTRS = frozenset({"parent", "parents"})


def shipped_path(expr: ir.Expr | None, local: Mapping[str, ir.Expr], module_level: Mapping[str, ir.Expr],
                 depth: int = 0) -> bool:
    """Is `expr` a path rooted at this module's own file (`__file__`), directly or through names
    the function or the module bound to one?"""
    if expr is None or depth > 12:
        return False
    nested = depth + 1
    if isinstance(expr, ir.Name):
        if expr.id == "__file__":
            return True
        bound = local.get(expr.id)
        if bound is not None:
            return shipped_path(bound, {k: v for k, v in local.items() if k != expr.id}, module_level, nested)
        return shipped_path(module_level.get(expr.id), {}, module_level, nested)
    if isinstance(expr, ir.BinOp) and expr.op == "/":  # `base / "templates" / name`: the left operand is the root
        return shipped_path(expr.left, local, module_level, nested)
    if isinstance(expr, ir.Attr) and expr.attr in _PATH_ATTRS:
        return shipped_path(expr.value, local, module_level, nested)
    if isinstance(expr, ir.Subscript):  # `Path(__file__).parents[1]`
        return shipped_path(expr.value, local, module_level, nested)
    if isinstance(expr, ir.Call):
        name = ir.dotted_name(expr.func) or ""
        if name in _PATH_CALLS and expr.args:
            return shipped_path(expr.args[0], local, module_level, nested)
        if isinstance(expr.func, ir.Attr) and expr.func.attr in _PATH_METHODS:
            return shipped_path(expr.func.value, local, module_level, nested)
    return False
