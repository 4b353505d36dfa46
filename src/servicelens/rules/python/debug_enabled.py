"""Debug mode enabled in code that can reach production.

## What it finds
- Flask: `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True`,
  `app.config.update(DEBUG=True)`, `DEBUG = True` in a Flask config class that is not a
  dev/test class;
- Werkzeug: `DebuggedApplication(app, evalex=True)`, `run_simple(..., use_debugger=True)`;
- FastAPI / Starlette: `FastAPI(debug=True)`, `Starlette(debug=True)`;
- Django: `DEBUG = True` at the top level of a settings module that is not a dev, local,
  test or CI settings file (or in the branch of an environment switch that runs in production:
  `else:` after `if ENV == "development":`, `if ENV == "production":`), and `DEBUG = env(..., default=True)`-style fallbacks, including
  tests that are true for the default (`os.environ.get("DEBUG", "True").lower() in ("1", "true")`).

## Why it matters
The Werkzeug debugger executes Python typed into the error page: on a reachable host that
is remote code execution. Django's and Starlette's debug pages print settings, SQL,
local variables and file paths to any visitor who triggers an error, and Django keeps
every SQL query in memory while DEBUG is on.

## Example
```python
DEBUG = True
```
Use instead:
```python
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
```

## Fix
Read the flag from the environment with a default of off, and keep dev overrides in a
dev-only settings module or `.env` file.

## Known problems
A settings file is judged dev-only by its path (`dev`, `local`, `test`, `ci`, `example`
...). `app.run(debug=True)` under `if __name__ == "__main__"` only runs with the
development server, so it is reported at medium confidence unless it also binds
`0.0.0.0`. Debug flags set through a wrapper function are not followed.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._common import (
    call_name, const_str, dev_class, is_const, is_dev_path, is_settings_module, iter_exprs,
    iter_stmts_with_function, location,
)
from servicelens.rules.python._deployed import deployed_statements
from servicelens.taint.scope import ModuleScope

_ASGI_APPS = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette", "fastapi.applications.FastAPI"})
_ENV_DEFAULT_CALLS = ("get_bool_from_env", "env.bool", "config", "getenv", "environ.get", "env")

Issue = tuple[int, str, Confidence, str]  # line, what, confidence, framework


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    main_guarded = _main_guard_lines(module)
    seen: set[int] = set()
    for line, what, confidence, framework in _issues(module, scope, main_guarded):
        if line in seen or dev_class(module, line):
            continue
        seen.add(line)
        yield make_finding(
            "debug-enabled", location(module, ir.Const(line, 0, None)),
            ("Probable " if confidence is not Confidence.HIGH else "") + f"debug mode enabled: {what}",
            _WHY[framework], confidence=confidence,
            severity=Severity.CRITICAL if framework == "werkzeug" else None,
            fix=_fix(framework, module.line_text(line)), rule=RULE.id, key=what,
        )


def _issues(module: ir.Module, scope: ModuleScope, main_guarded: set[int]) -> Iterator[Issue]:
    if is_settings_module(module):
        yield from _django_settings(module)
    overridden = _debug_off_in_a_class(module)
    for function, stmt in iter_stmts_with_function(module):
        if isinstance(stmt, ir.Assign) and is_const(stmt.value, True):
            for target in stmt.targets:
                if _is_app_debug(target):
                    yield stmt.line, module.line_text(stmt.line), Confidence.HIGH, "flask"
                elif isinstance(target, ir.Name) and target.id == "DEBUG" and function is None \
                        and not overridden and _in_class(module, stmt.line) and not is_settings_module(module):
                    yield stmt.line, "DEBUG = True in a config class", Confidence.MEDIUM, "flask"
        for expr in iter_exprs(stmt):
            if isinstance(expr, ir.Call):
                yield from _call_issue(expr, call_name(expr, scope, function), main_guarded)


def _call_issue(call: ir.Call, name: str, main_guarded: set[int]) -> Iterator[Issue]:
    last = name.rsplit(".", 1)[-1]
    if last == "DebuggedApplication" and is_const(call.kwarg("evalex"), True):
        yield call.line, "Werkzeug debugger with evalex=True", Confidence.HIGH, "werkzeug"
    elif last == "run_simple" and is_const(call.kwarg("use_debugger"), True):
        yield call.line, "run_simple(use_debugger=True)", Confidence.HIGH, "werkzeug"
    elif name in _ASGI_APPS and is_const(call.kwarg("debug"), True):
        yield call.line, f"{last}(debug=True)", Confidence.HIGH, "fastapi"
    elif last == "run" and is_const(call.kwarg("debug"), True) and isinstance(call.func, ir.Attr):
        public = const_str(call.kwarg("host")) == "0.0.0.0"
        guarded = call.line in main_guarded
        confidence = Confidence.HIGH if public or not guarded else Confidence.MEDIUM
        yield call.line, "app.run(debug=True)" + (" on 0.0.0.0" if public else ""), confidence, "flask"
    elif last == "update" and name.endswith("config.update") and is_const(call.kwarg("DEBUG"), True):
        yield call.line, "config.update(DEBUG=True)", Confidence.HIGH, "flask"


def _django_settings(module: ir.Module) -> Iterator[Issue]:
    for stmt in deployed_statements(module.body):
        if not (isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "DEBUG" for t in stmt.targets)):
            continue
        if is_const(stmt.value, True):
            yield stmt.line, "DEBUG = True in settings", Confidence.HIGH, "django"
        elif isinstance(stmt.value, ir.Call) and _defaults_true(stmt.value) or _compares_default_on(stmt.value):
            yield stmt.line, "DEBUG defaults to True when the environment variable is unset", Confidence.MEDIUM, "django"


def _defaults_true(call: ir.Call) -> bool:
    name = ir.dotted_name(call.func) or ""
    if not name.endswith(_ENV_DEFAULT_CALLS):
        return False
    default = call.kwarg("default")
    if default is None and len(call.args) > 1:
        default = call.args[1]
    return is_const(default, True) or (const_str(default) or "").lower() in ("true", "1", "yes", "on")


def _compares_default_on(value: ir.Expr | None) -> bool:
    """`os.environ.get("DJANGO_DEBUG", "True").lower() in ("1", "true")`: the test is true for the
    default, so an unset variable means debug on."""
    if not isinstance(value, ir.Compare) or len(value.comparators) != 1:
        return False
    env = value.left
    while isinstance(env, ir.Call) and isinstance(env.func, ir.Attr) and env.func.attr in ("lower", "strip", "casefold"):
        env = env.func.value
    if not isinstance(env, ir.Call) or not (ir.dotted_name(env.func) or "").endswith(_ENV_DEFAULT_CALLS):
        return False
    default = env.kwarg("default") if env.kwarg("default") is not None else (env.args[1] if len(env.args) > 1 else None)
    text = (const_str(default) or "").lower()
    if not text:
        return False
    other = value.comparators[0]
    accepted = [const_str(e) for e in other.elts] if isinstance(other, ir.Seq) else [const_str(other)]
    on = text in {a.lower() for a in accepted if a is not None}
    return on if value.ops[0] in ("in", "==") else (not on if value.ops[0] in ("not in", "!=") else False)


def _is_app_debug(target: ir.Expr) -> bool:
    """`app.debug` / `app.config["DEBUG"]`: the receiver must look like an application object, so
    an unrelated `self.debug = True` on a helper class is not taken for the web app."""
    if isinstance(target, ir.Attr) and target.attr == "debug":
        owner = ir.dotted_name(target.value) or ""
        return owner.rsplit(".", 1)[-1] in ("app", "application", "flask_app", "server", "api")
    if isinstance(target, ir.Subscript) and const_str(target.index) == "DEBUG":
        return (ir.dotted_name(target.value) or "").endswith("config")
    return False


def _debug_off_in_a_class(module: ir.Module) -> bool:
    """A base config with DEBUG = True is fine when a production class turns it off."""
    return any(isinstance(s, ir.Assign) and is_const(s.value, False)
               and any(isinstance(t, ir.Name) and t.id == "DEBUG" for t in s.targets)
               for cls in module.classes for s in cls.body)


def _in_class(module: ir.Module, line: int) -> bool:
    return any(c.line <= line <= c.end_line for c in module.classes)


def _main_guard_lines(module: ir.Module) -> set[int]:
    """Lines inside `if __name__ == "__main__":` blocks (run only by `python app.py`)."""
    out: set[int] = set()
    for stmt in module.body:
        if isinstance(stmt, ir.If) and isinstance(stmt.test, ir.Compare) and \
                any(const_str(e) == "__main__" for e in (stmt.test.left, *stmt.test.comparators)):
            out.update(range(stmt.line, stmt.end_line + 1))
    return out


_WHY = {
    "flask": "Flask's debug mode serves the Werkzeug debugger: anyone who can trigger an error gets an "
             "interactive Python console in the server process (remote code execution), guarded only by a PIN "
             "that leaks through other bugs.",
    "werkzeug": "The Werkzeug debugger with evaluation enabled runs arbitrary Python sent from the browser: "
                "remote code execution for anyone who reaches it.",
    "fastapi": "With debug=True Starlette returns full tracebacks, source lines and local variables to any "
               "client that triggers an error.",
    "django": "With DEBUG on, Django's error pages show settings, SQL, local variables and file paths to any "
              "visitor, and every SQL query is kept in memory.",
}


def _fix(framework: str, line: str) -> Fix:
    if framework == "django":
        return Fix("Default DEBUG to off and enable it only from the environment on developer machines.",
                   'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"', "python")
    if framework == "fastapi":
        return Fix("Leave debug off in code; enable it from the environment only for local runs.",
                   line.replace("debug=True", 'debug=os.environ.get("APP_DEBUG") == "1"'), "python")
    if framework == "werkzeug":
        return Fix("Never wrap a deployable app in the Werkzeug debugger; keep it to a local dev script.",
                   line.replace("evalex=True", "evalex=False").replace("use_debugger=True", "use_debugger=False"),
                   "python")
    return Fix("Remove the hard-coded debug flag; run the dev server with `flask --app app run --debug` "
               "locally and a WSGI server (gunicorn) in production.",
               line.replace("debug=True", 'debug=os.environ.get("FLASK_DEBUG") == "1"')
               .replace("= True", '= os.environ.get("FLASK_DEBUG") == "1"'), "python")


RULE = Rule("py-debug-enabled", frozenset({"debug-enabled"}), "python", check, requires=("debug",))
