"""Request handlers that do data access, business rules and formatting in one long body.

## What it finds
A request entry point (routed handler, Django view, GraphQL mutation) with more than
60 statements that both queries the database (two or more ORM/SQL calls) and calls out
to another system (HTTP, e-mail, payment provider, queue) itself.

## Why it matters
The business rule cannot be tested without an HTTP request, a database and the external
service; it cannot be reused by a worker, a CLI or a second endpoint, so it gets copied.
Reviews of such handlers miss the one line that changed among 100, and transaction and
retry boundaries become impossible to reason about.

## Example
A 120-line `checkout` view that loads the cart, prices it, calls Stripe, writes the
order, sends the e-mail and builds the JSON response.

## Fix
Keep the handler to parsing, calling one service function and formatting the answer;
move the rules into a service layer (`checkout_service.place_order(cart, payment)`)
that takes plain values and can be unit-tested.

## Known problems
Statement counts include nested blocks; a long but purely declarative handler (building
one big response dict) is not reported because it makes no queries.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python.rel_shared import chain, is_entry_point, stmt_calls
from servicelens.taint.scope import ModuleScope

_MAX_STATEMENTS = 60
_QUERY_WORDS = frozenset({"objects", "query", "execute", "filter", "filter_by", "get_object_or_404", "scalars",
                          "raw", "select_related", "prefetch_related", "fetchone", "fetchall", "exec"})
_EXTERNAL_ROOTS = frozenset({"requests", "httpx", "stripe", "boto3", "smtplib", "urllib", "celery", "redis",
                             "send_mail", "send_email", "EmailMessage", "EmailMultiAlternatives", "gateway",
                             "publish", "delay", "apply_async", "send_task", "urlopen"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    for function in module.functions:
        if not is_entry_point(function, scope):
            continue
        stmts = list(ir.walk_stmts(function.body))
        if len(stmts) <= _MAX_STATEMENTS:
            continue
        queries, external = 0, []
        for stmt in stmts:
            for call in stmt_calls(stmt):
                names = chain(call)
                if _QUERY_WORDS & set(names):
                    queries += 1
                if _EXTERNAL_ROOTS & set(names):
                    external.append(".".join(names))
        if queries >= 2 and external:
            yield _finding(module, function, len(stmts), queries, external)


def _finding(module: ir.Module, function: ir.Function, size: int, queries: int, external: list[str]) -> Finding:
    shown = ", ".join(f"`{e}`" for e in dict.fromkeys(external[:3]))
    return make_finding(
        "fat-handler", Location(module.path, function.line, function.end_line),
        f"`{function.qualname}` is {size} statements of queries ({queries}), external calls ({shown}) and "
        "response building in one handler",
        "The business rule here cannot be tested without a request, a database and the external service, nor "
        "reused by a worker or another endpoint (so it gets copied); reviews miss the one changed line among "
        f"{size}, and transaction and retry boundaries are hard to see.",
        severity=Severity.LOW, confidence=Confidence.MEDIUM,
        fix=Fix("Keep the handler to parse -> call one service function -> format; move the rules and the "
                "external calls into a service module that takes plain values.",
                f"def {function.name}(request, *args):\n    command = parse_{function.name}(request)\n"
                f"    result = services.{function.name}(command)  # rules, queries, external calls\n"
                "    return render_result(result)\n", "python"),
        rule=RULE.id, key=function.qualname,
    )


RULE = Rule("py-fat-handler", frozenset({"fat-handler"}), "python", check)
