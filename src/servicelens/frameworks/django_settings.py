"""Project-wide Django/DRF settings that decide endpoint auth: REST framework's
DEFAULT_PERMISSION_CLASSES (AllowAny when unset) and Django's LoginRequiredMiddleware; and the
classes Django itself calls in a request (MIDDLEWARE, AUTHENTICATION_BACKENDS)."""
from __future__ import annotations

from typing import Iterable

from servicelens import ir

_PERMISSIVE = frozenset({"AllowAny"})
# Settings only a Django settings module assigns at its top level. A file merely named
# settings.py (a template tag library, a context processor, a Flask config) is not one, and
# without the real one in the review nobody can tell what DEFAULT_PERMISSION_CLASSES says.
_DJANGO_SETTING_NAMES = frozenset({
    "INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "DATABASES", "REST_FRAMEWORK",
    "AUTHENTICATION_BACKENDS", "TEMPLATES", "WSGI_APPLICATION", "ASGI_APPLICATION", "AUTH_USER_MODEL",
})


def settings_facts(module: ir.Module, text: str) -> tuple[tuple[str, str], ...]:
    """("drf_default_permissions", "IsAuthenticated,...") / ("login_required_middleware", "1"), and
    ("django_settings_module", "1") where the module assigns a setting only Django settings hold."""
    if not any(name in text for name in _DJANGO_SETTING_NAMES):
        return ()
    found: list[tuple[str, str]] = []
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        names = {t.id for t in stmt.targets if isinstance(t, ir.Name)}
        if names & _DJANGO_SETTING_NAMES and ("django_settings_module", "1") not in found:
            found.append(("django_settings_module", "1"))
        if "REST_FRAMEWORK" in names and isinstance(stmt.value, ir.DictExpr):
            for key, value in zip(stmt.value.keys, stmt.value.values):
                if isinstance(key, ir.Const) and key.value == "DEFAULT_PERMISSION_CLASSES":
                    found.append(("drf_default_permissions", ",".join(_class_names(value))))
        if "MIDDLEWARE" in names:
            entries = [n.value for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Const) and isinstance(n.value, str)
                       and "." in n.value]
            if any(entry.endswith("LoginRequiredMiddleware") for entry in entries):
                found.append(("login_required_middleware", "1"))
            if entries:  # every entry, `MIDDLEWARE += (...)` included: the project's own may check the caller
                found.append(("middleware", ",".join(entries)))
        if "AUTHENTICATION_BACKENDS" in names:
            entries = [n.value for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Const) and isinstance(n.value, str)
                       and "." in n.value]
            if entries:
                found.append(("authentication_backends", ",".join(entries)))
    return tuple(found)


def project_middlewares(settings: Iterable[tuple[str, str]], key: str = "middleware") -> tuple[str, ...]:
    """Every dotted middleware path any settings module lists, in order, once (`key`
    "authentication_backends": every authentication backend)."""
    return tuple(dict.fromkeys(entry for name, value in settings if name == key
                               for entry in value.split(",") if entry))


def _class_names(value: ir.Expr) -> Iterable[str]:
    elements = value.elts if isinstance(value, ir.Seq) else (value,)
    for element in elements:
        if isinstance(element, ir.Const) and isinstance(element.value, str):
            yield element.value.rsplit(".", 1)[-1]
        else:
            name = ir.dotted_name(element)
            if name:
                yield name.rsplit(".", 1)[-1]


def default_auth(settings: dict[str, str]) -> tuple[str, str]:
    """Auth of a DRF view that sets no permission_classes, given the project's settings."""
    names = [n for n in settings.get("drf_default_permissions", "").split(",") if n]
    if not names:
        return "none", "no permission_classes, and DEFAULT_PERMISSION_CLASSES is unset (REST framework allows any)"
    if all(n in _PERMISSIVE for n in names):
        return "none", f"DEFAULT_PERMISSION_CLASSES = [{', '.join(names)}]"
    return "required", f"DEFAULT_PERMISSION_CLASSES = [{', '.join(names)}]"
