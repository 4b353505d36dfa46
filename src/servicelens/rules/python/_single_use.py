"""A code checked behind a one-time token: each guess burns the token the first step issued.

A second factor is often tied to the first by a token the server issued when the first succeeded.
When the handler looks that token up with a read that deletes it (`find_one_and_delete({"_id": token})`,
Redis `GETDEL`; models/vocabulary/attempt_limits.yaml), the token can be presented once: a wrong code
costs a new first factor, so the code cannot be guessed online there. A lookup that leaves the token
in place (`find_one`, `get`) allows as many tries as the token lives.
"""
from __future__ import annotations

from functools import lru_cache

from servicelens import ir
from servicelens.rules.python import _access as access
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.scope import HandlerInfo


@lru_cache(maxsize=1)
def _single_use_reads() -> frozenset[str]:
    return frozenset(vocabulary_file("attempt_limits.yaml").get("single_use_reads") or ())


def consumes_client_token(function: ir.Function, handler: HandlerInfo) -> bool:
    """The handler hands a value the client sent to a read that deletes what it finds."""
    client = access.client_names(function, handler)
    reads = _single_use_reads()
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in reads \
                        and any(access.reads(arg, client, access.is_request_data)
                                for arg in (*node.args, *(kw.value for kw in node.kwargs))):
                    return True
    return False
