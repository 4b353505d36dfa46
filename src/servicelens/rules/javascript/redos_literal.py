"""Catastrophic regular expression: a pattern whose nested quantifiers (`(a+)+`, `(\\d*)*`,
`(x+)*`) backtrack exponentially, used to test text.

## What it finds
A regular expression literal (or `new RegExp('...')` of a literal) with a quantified group that
itself contains a quantifier, used with `.test`, `.exec`, `.match`, `.matchAll`, `.replace`,
`.split` or `.search`.

## Why it matters
On a crafted input of a few dozen characters the match takes seconds to years. Node runs it on
the event loop: one request stops every other request of the process.

## Example
```js
const ROUTING = /([0-9]+)+#/;
if (ROUTING.test(req.body.routing)) { ... }
```
Use instead:
```js
const ROUTING = /^[0-9]+#$/;
```

## Fix
Remove the nested quantifier (`([0-9]+)+` matches what `[0-9]+` matches), anchor the
pattern, or validate length first.

## Known problems
Overlapping alternations (`(a|a)*`) are not recognised.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.javascript._node import const_str, location, named_calls
from servicelens.taint.scope import ModuleScope

# a quantified group whose own content ends in a quantifier: `([0-9]+)+`, `(\w*)*`; a group
# that ends in a literal (`([a-z]+\.)+`) delimits its iterations and is left alone
_NESTED = re.compile(r"\((?:\?:)?(?:[^()\\]|\\.)*[+*]\)(?:[+*]|\{\d*,)")
_MATCHERS = frozenset({"test", "exec"})
_STRING_MATCHERS = frozenset({"match", "matchAll", "replace", "replaceAll", "split", "search"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    constants = _pattern_constants(module)
    seen: set[int] = set()
    for named in named_calls(module, scope):
        call = named.call
        if not isinstance(call.func, ir.Attr):
            continue
        pattern = None
        if call.func.attr in _MATCHERS:
            pattern = _pattern(module, call.func.value, constants)
        elif call.func.attr in _STRING_MATCHERS and call.args:
            pattern = _pattern(module, call.args[0], constants)
        if pattern is None or not _NESTED.search(pattern[0]) or pattern[1] in seen:
            continue
        seen.add(pattern[1])
        yield make_finding(
            "redos", location(module, ir.Const(pattern[1], 0, None)),
            f"Regular expression `/{pattern[0]}/` backtracks exponentially",
            "A crafted input of a few dozen characters makes the match run for seconds or longer, on the event "
            "loop every request shares.",
            severity=Severity.MEDIUM, confidence=Confidence.HIGH,
            fix=Fix("Remove the nested quantifier and anchor the pattern.", "", ""),
            rule=RULE.id, key=pattern[0],
        )


def _pattern_constants(module: ir.Module) -> dict[str, tuple[str, int]]:
    """Names bound to a pattern literal anywhere in the module (`const ROUTING = /.../`)."""
    found: dict[str, tuple[str, int]] = {}
    for _function, body in all_bodies(module):
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and const_str(stmt.value) is not None:
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and _is_regex_literal(module, stmt.value):
                        found[target.id] = (const_str(stmt.value) or "", stmt.line)
    return found


def _pattern(module: ir.Module, expr: ir.Expr, constants: dict[str, tuple[str, int]]) -> tuple[str, int] | None:
    if isinstance(expr, ir.Name):
        return constants.get(expr.id)
    text = const_str(expr)
    if text is not None:
        return (text, expr.line) if _is_regex_literal(module, expr) else None
    if isinstance(expr, ir.Call) and ir.dotted_name(expr.func) == "RegExp" and expr.args:
        inner = const_str(expr.args[0])
        return (inner, expr.line) if inner is not None else None
    return None


def _is_regex_literal(module: ir.Module, value: ir.Expr) -> bool:
    """The IR keeps a regex literal's pattern as a string; the source says which it was."""
    line = module.lines[value.line - 1] if 0 < value.line <= len(module.lines) else ""
    return line[value.col:value.col + 1] == "/"


RULE = Rule("js-redos-literal", frozenset({"redos"}), "javascript", check,
            requires=("test(", "exec(", "match", "replace", "split(", "search("))
