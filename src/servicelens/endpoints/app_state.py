"""Objects an application keeps in its shared state, by the key handlers read them back with.

aiohttp apps build their pools, repositories, services and clients in start-up hooks and store
them on the application (`app["bookings"] = BookingRepository(app["pool"])`, or with a typed
`web.AppKey`); Starlette/FastAPI apps do the same on `app.state.bookings`, Sanic on `app.ctx`.
A handler then calls `request.app["bookings"].by_reference(ref)`: without the binding, which
class's method that is (a repository getter, a query, an HTTP client) is lost at the first
handler line. The bindings are read from every Python file's text before the per-file analysis
(as Connexion's operationIds are), so each file can resolve the reads it makes: they travel with
the project-wide handler names as `app-state:<key>=<constructor>` entries.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from servicelens import ir

PREFIX = "app-state:"
# `app["key"] = Ctor(...)`, `app[KEY] = await make(...)`, `app[keys.KEY] = ...`, `app.state.key = Ctor(...)`, `app.ctx.key = ...`
_ITEM = re.compile(r"""(?m)^\s*(?:[\w.]*\.)?(?:app|application)\s*\[\s*(?:(['"])(?P<key>\w+)\1|(?P<name>[A-Za-z_][\w.]*))"""
                   r"""\s*\]\s*=\s*(?:await\s+)?(?P<ctor>[A-Za-z_][\w.]*)\s*\(""")
# any application object's `state`/`ctx` (`api.state.repo = ...`); reads are only taken from an app
_ATTR = re.compile(r"""(?m)^\s*[\w.]+\.(?:state|ctx)\.(?P<key>\w+)\s*=\s*(?:await\s+)?"""
                   r"""(?P<ctor>[A-Za-z_][\w.]*)\s*\(""")

# what each binding above must contain: tested first, since nearly no file has one and the full
# patterns try every line of every Python file of the tree (0.5 CPU s on saleor, before the workers start)
_ITEM_HINT = re.compile(r"(?:app|application)\s*\[")
_ATTR_HINTS = (".state.", ".ctx.")


def app_state_entries(texts: Iterable[str]) -> frozenset[str]:
    """`app-state:<key>=<constructor's last name>` for each key bound to one constructor only."""
    bound: dict[str, set[str]] = {}
    for text in texts:
        if "app" not in text:
            continue
        patterns = ((_ITEM,) if _ITEM_HINT.search(text) else ()) + \
            ((_ATTR,) if any(hint in text for hint in _ATTR_HINTS) else ())
        for pattern in patterns:
            for match in pattern.finditer(text):
                # a typed key is read back by its own name, however the module holding it is imported
                key = match.group("key") or (match.groupdict().get("name") or "").rsplit(".", 1)[-1]
                bound.setdefault(key, set()).add(match.group("ctor").rsplit(".", 1)[-1])
    return frozenset(f"{PREFIX}{key}={ctors.pop()}" for key, ctors in bound.items() if len(ctors) == 1)


def app_state(entries: Iterable[str]) -> dict[str, str]:
    """key -> constructor name, from the entries `app_state_entries` made."""
    return dict(entry[len(PREFIX):].split("=", 1) for entry in entries if entry.startswith(PREFIX))


_APP_ENDS = ("app", "application", "config_dict")


def state_key(expr: ir.Expr) -> str | None:
    """The key a read of the application's shared state uses: `request.app["bookings"]`,
    `self.request.app[BOOKINGS]`, `request.config_dict["db"]`, `request.app.state.bookings`,
    `app.ctx.bookings`; None for anything else."""
    if isinstance(expr, ir.Subscript):
        owner = ir.dotted_name(expr.value) or ""
        if owner.rsplit(".", 1)[-1] not in _APP_ENDS:
            return None
        index = expr.index
        if isinstance(index, ir.Const) and isinstance(index.value, str):
            return index.value
        if isinstance(index, ir.Attr):  # `request.app[keys.BOOKINGS]`
            return index.attr
        return index.id if isinstance(index, ir.Name) else None
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Attr) and expr.value.attr in ("state", "ctx"):
        owner = ir.dotted_name(expr.value.value) or ""
        return expr.attr if owner.rsplit(".", 1)[-1] in _APP_ENDS else None
    return None


def state_class(expr: ir.Expr, state: Mapping[str, str]) -> str | None:
    """The class (its name, CapWords) of the object a state read returns, when the app binds that
    key to a constructor of one class."""
    key = state_key(expr)
    built = state.get(key or "")
    return built if built and built[:1].isupper() and not built.isupper() else None
