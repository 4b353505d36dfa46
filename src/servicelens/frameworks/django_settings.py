"""Project-wide Django/DRF settings that decide endpoint auth: REST framework's
DEFAULT_PERMISSION_CLASSES (AllowAny when unset) and Django's LoginRequiredMiddleware; and the
classes Django itself calls in a request (MIDDLEWARE, AUTHENTICATION_BACKENDS)."""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.frameworks.settings_switches import default_permissions

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
        if "MIDDLEWARE" in names:
            entries = [n.value for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Const) and isinstance(n.value, str)
                       and "." in n.value]
            login = [entry for entry in entries if entry.endswith("LoginRequiredMiddleware")]
            if login:  # named, so that a project's own class of that name is read, not assumed
                found.append(("login_required_middleware", ",".join(login)))
            if entries:  # every entry, `MIDDLEWARE += (...)` included: the project's own may check the caller
                found.append(("middleware", ",".join(entries)))
        if "AUTHENTICATION_BACKENDS" in names:
            entries = [n.value for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Const) and isinstance(n.value, str)
                       and "." in n.value]
            if entries:
                found.append(("authentication_backends", ",".join(entries)))
    if "REST_FRAMEWORK" in text:
        drf = default_permissions(module.body)
        if drf.undecided or drf.classes is not None:
            # all three, even empty: the project's settings are merged key by key, so a later
            # settings module's answer replaces an earlier one's whole (not its switches alone)
            found.extend((("drf_default_undecided", drf.undecided),
                          ("drf_default_permissions", ",".join(name for value in drf.classes or ()
                                                              for name in _class_names(value))),
                          ("drf_default_switches", ",".join(drf.switches))))
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
    if settings.get("drf_default_undecided"):
        return "unknown", (f"DEFAULT_PERMISSION_CLASSES is switched by `{settings['drf_default_undecided']}`, "
                           "which the settings module computes in a way the review cannot read")
    names = [n for n in settings.get("drf_default_permissions", "").split(",") if n]
    switches = settings.get("drf_default_switches", "")
    if names and switches:
        listed = ", ".join(names)
        return ("none" if all(n in _PERMISSIVE for n in names) else "required",
                f"DEFAULT_PERMISSION_CLASSES = [{listed}] with {switches.replace(',', ', ')} unset (its default)")
    if not names:
        return "none", "no permission_classes, and DEFAULT_PERMISSION_CLASSES is unset (REST framework allows any)"
    if all(n in _PERMISSIVE for n in names):
        return "none", f"DEFAULT_PERMISSION_CLASSES = [{', '.join(names)}]"
    return "required", f"DEFAULT_PERMISSION_CLASSES = [{', '.join(names)}]"
