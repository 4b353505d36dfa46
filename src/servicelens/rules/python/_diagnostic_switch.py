"""Which lines run only while an operator's diagnostic switch is on.

Not a rule. Profiling, tracing and debug output are turned on by a setting
(`if settings.SERVER_PROFILING_ENABLED:`, `if is_promptrace_enabled():`, `if app.debug:`),
off in a normal deployment. A cost paid only under such a switch is bounded by the
configuration the operator chose (TRIAGE: a nit), so performance rules mark findings there
with the switch as evidence and the profile holds them back like development-only code.

A switch is a setting, never what the client sends: an upper-case constant, an attribute
(`settings.DEBUG`, `self.config.tracing`), or a call of a function named for one
(`is_profiling_enabled()`, `os.getenv("APP_DEBUG")`), whose words name a diagnostic
(`debug`, `profiling`, `profiler`, `tracing`, a word ending in `trace`); an identifier of a
trace or span (`trace_id`, `span.trace_context`) is a value, not a switch. A test that reads
the request (`request.query_params.get("debug")`) lets any caller turn the cost on and is
not a switch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

from servicelens import ir
from servicelens.infra.development import DEVELOPMENT
from servicelens.model.finding import Finding, Location, TraceStep
from servicelens.rules.python._access import is_request_data
from servicelens.rules.python._common import words

_DIAGNOSTIC = re.compile(r"^(debug|debugging|profiling|profiler|tracing|\w*trace)$")
# a trailing word that makes the name a value about a trace, not the switch that turns tracing on
_VALUE_WORDS = frozenset({"id", "ids", "span", "spans", "context", "parent", "header", "headers", "info",
                          "data", "level", "name", "url", "file", "path"})
_TRUE_TEXTS = frozenset({"1", "true", "yes", "on"})
_ENV_READERS = frozenset({"getenv", "get", "environ"})


@dataclass(frozen=True, slots=True)
class SwitchedSpan:
    """Lines `start`..`end` run only while `switch` is on."""
    start: int
    end: int
    switch: str


def switched_spans(module: ir.Module) -> tuple[SwitchedSpan, ...]:
    """Every branch of the module (at any depth, nested definitions included by their lines)
    that runs only while a diagnostic switch is on. Asked by two rules of every module: kept on it."""
    found = module.derived.get(_SPANS_KEY)
    if found is None:
        found = module.derived[_SPANS_KEY] = tuple(span for _, statements in ir.body_statements(module)
                                                   for stmt in statements
                                                   if isinstance(stmt, ir.If) for span in _branch_spans(stmt))
    return found  # type: ignore[return-value]


_SPANS_KEY = ("diagnostic-switch-spans",)
# every diagnostic word of `_DIAGNOSTIC` holds one of these (lower case): a test naming none has no switch
_HINTS = ("debug", "profil", "trac")


def switch_at(spans: tuple[SwitchedSpan, ...], line: int) -> str:
    """The switch that guards `line` ("" when none does)."""
    return next((span.switch for span in spans if span.start <= line <= span.end), "")


def mark_switched(finding: Finding, switch: str) -> Finding:
    """The finding with reach `development` and the switch as its last evidence step
    (analysis/profiles.py holds it back, `--profile extended` still shows it)."""
    if not switch:
        return finding
    step = TraceStep(Location(finding.location.path, finding.location.start_line),
                     f"{SWITCH_EVIDENCE}{switch}")
    return replace(finding, reach=DEVELOPMENT, evidence=finding.evidence + (step,))


SWITCH_EVIDENCE = "development-only switch: "


def _branch_spans(stmt: ir.If) -> Iterator[SwitchedSpan]:
    if not _may_name_switch(stmt.test):
        return
    found = _switch(stmt.test)
    if found is None:
        return
    text, on = found
    branch = stmt.body if on else stmt.orelse
    if not branch:
        return
    end = (stmt.orelse[0].line - 1) if on and stmt.orelse else stmt.end_line
    yield SwitchedSpan(branch[0].line, max(end, branch[0].line), text)


def _may_name_switch(test: ir.Expr) -> bool:
    """Does some name, attribute or string of the test spell a diagnostic word? A switch is always
    named by one (`_names_diagnostic`), so a test without one is no switch, without asking whether
    it reads the request."""
    for node in ir.walk_expr(test):
        kind = type(node)
        text = node.id if kind is ir.Name else node.attr if kind is ir.Attr \
            else node.value if kind is ir.Const and type(node.value) is str else None  # type: ignore[attr-defined]
        if text is not None and any(hint in text.lower() for hint in _HINTS):
            return True
    return False


def _switch(test: ir.Expr) -> tuple[str, bool] | None:
    """The switch a test reads and whether its body is the branch where it is on."""
    if any(is_request_data(node) for node in ir.walk_expr(test)):
        return None
    if isinstance(test, ir.Unary) and test.op == "not":
        inner = _switch(test.operand)
        return (inner[0], not inner[1]) if inner else None
    if isinstance(test, ir.BoolOp):
        if test.op != "and":
            return None  # `a or DEBUG`: the body also runs with the switch off
        for operand in test.values:
            inner = _switch(operand)
            if inner is not None and inner[1]:
                return inner
        return None
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and test.ops[0] in ("==", "is"):
        other = test.comparators[0]
        if isinstance(other, ir.Const) and str(other.value).lower() in _TRUE_TEXTS:
            return _switch(test.left)
        return None
    name = _switch_name(test)
    return (name, True) if name else None


def _switch_name(expr: ir.Expr) -> str:
    if isinstance(expr, ir.Call):
        func = ir.dotted_name(expr.func) or ""
        last = ir.last_name(expr.func)
        if last in _ENV_READERS and expr.args and isinstance(expr.args[0], ir.Const) \
                and isinstance(expr.args[0].value, str) and _names_diagnostic(expr.args[0].value):
            return f"{func}({expr.args[0].value!r})"
        return f"{func}()" if func and _names_diagnostic(last) else ""
    if isinstance(expr, ir.Subscript):
        key = expr.index
        if isinstance(key, ir.Const) and isinstance(key.value, str) and _names_diagnostic(key.value):
            return f"{ir.dotted_name(expr.value) or ''}[{key.value!r}]"
        return ""
    if isinstance(expr, ir.Name):
        return expr.id if expr.id.isupper() and _names_diagnostic(expr.id) else ""
    if isinstance(expr, ir.Attr):
        name = ir.dotted_name(expr) or expr.attr
        return name if _names_diagnostic(expr.attr) else ""
    return ""


def _names_diagnostic(identifier: str) -> bool:
    parts = words(identifier)
    return bool(parts) and parts[-1] not in _VALUE_WORDS and any(_DIAGNOSTIC.match(p) for p in parts)
