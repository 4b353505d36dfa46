"""Whether a predicate named for a same-site URL (`is_relative_url(x)`) can be trusted as a guard.

Browsers read a backslash as a slash in a URL, so `/\\evil.net` leaves the site as `//evil.net`
does. A check the review can read is trusted only when its body considers backslashes (a text or
a pattern with one: `url.replace(/\\\\/g, "/")`, `"\\\\" in url`); one that only counts leading slashes
or asks `urlparse(url).netloc` lets `/\\evil.net` through. A check defined elsewhere (another
package, a library) cannot be read here, and its name is then the evidence, as for a library's
`url_has_allowed_host_and_scheme`.
"""
from __future__ import annotations

from servicelens import ir


def trusted_same_site_check(definition: ir.Function | None) -> bool:
    """A same-site URL predicate is trusted unless its readable body ignores backslashes."""
    if definition is None:
        return True
    return any(isinstance(node, ir.Const) and isinstance(node.value, str) and _names_backslash(node.value)
               for stmt in ir.walk_stmts(definition.body) for root in ir.stmt_exprs(stmt)
               for node in ir.walk_expr(root))


def _names_backslash(text: str) -> bool:
    """Does `text` stand for a backslash: the character itself (`"\\"`, `"/\\"` at the end) or a
    pattern's escaped one (`[^/\\\\]`, `/\\\\/g`)? A pattern's own escapes (`\\S`, `\\w`, `\\/`) are not:
    `^/[^/]\\S*$` still lets `/\\evil.net` through."""
    return "\\\\" in text or text.endswith("\\")


def local_definition(module: ir.Module, module_name: str, qualified: str | None) -> ir.Function | None:
    """The function of this module a call's qualified name names (`pkg.views.Mixin.is_relative_url`)."""
    prefix = module_name + "."
    if not qualified or not qualified.startswith(prefix):
        return None
    qualname = qualified[len(prefix):]
    return next((f for f in module.functions if f.qualname == qualname), None)
