"""Module-level state a handler mutates, moved to Redis by rewriting the mutating statement.

`HITS += 1` -> `HITS = redis_client.incr("hits")`, `SEATS[seat] = user` ->
`redis_client.hset("seats", seat, user)`, `QUEUE.append(job)` -> `redis_client.rpush("queue", job)`:
the same key and value expressions, one atomic command shared by every worker. A mutation
with no one-command equivalent gets no code.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import Statement, statement

# list/set/dict method -> Redis command taking (key, *the method's arguments)
_COMMANDS = {"append": "rpush", "add": "sadd", "remove": "srem", "discard": "srem", "clear": "delete",
             "setdefault": "hsetnx"}


def in_redis(code: str, name: str, client: str = "redis_client") -> str | None:
    """The statement `code` mutating module-level `name`, as one Redis command on key `name.lower()`."""
    stmt = statement(code)
    if stmt is None:
        return None
    key = f'"{name.lower()}"'
    node = stmt.node
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name \
            and isinstance(node.op, (ast.Add, ast.Sub)):
        command = "incr" if isinstance(node.op, ast.Add) else "decr"
        amount = stmt.segment(node.value)
        by = "" if amount == "1" else f", {amount}"
        return f"{name} = {client}.{command}({key}{by})  # atomic, and the same count in every worker"
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and _item_of(node.targets[0], name):
        return f"{client}.hset({key}, {stmt.segment(node.targets[0].slice)}, {stmt.segment(node.value)})"  # type: ignore[attr-defined]
    if isinstance(node, ast.Delete) and len(node.targets) == 1 and _item_of(node.targets[0], name):
        return f"{client}.hdel({key}, {stmt.segment(node.targets[0].slice)})"  # type: ignore[attr-defined]
    return _method(stmt, name, key, client)


def _item_of(target: ast.AST, name: str) -> bool:
    return isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == name


def _method(stmt: Statement, name: str, key: str, client: str) -> str | None:
    """`NAME.append(x)` as a statement (its result unused: Redis answers with counts, not values)."""
    if not isinstance(stmt.node, ast.Expr) or not isinstance(stmt.node.value, ast.Call):
        return None
    for call in [stmt.node.value]:
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == name):
            continue
        args = ", ".join(stmt.segment(a) for a in call.args)
        if func.attr == "update" and len(call.args) == 1 and not call.keywords:
            return stmt.replace(call, f"{client}.hset({key}, mapping={args})")
        if func.attr == "extend" and len(call.args) == 1:
            return stmt.replace(call, f"{client}.rpush({key}, *{args})")
        command = _COMMANDS.get(func.attr)
        if command is not None and not args:  # `NAME.clear()`: the fix says which module state the key holds
            return stmt.replace(call, f"{client}.{command}({key})") + f"  # {name}, emptied for every worker"
        if command is not None:
            return stmt.replace(call, f"{client}.{command}({key}, {args})")
    return None
