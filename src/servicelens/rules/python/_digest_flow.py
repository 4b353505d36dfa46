"""Where a digest goes: does a weak hash protect something, or only name something?

Not a rule (it defines no RULE). `digest_purpose` follows one hash call inside its function:
through `.hexdigest()`, slices and `str()`, through a local variable it is assigned to, and
through `h.update(...)` of a hash object, and classifies every use:

    security   compared with a credential or in constant time, stored or sent under a
               password/token/signature name, returned from `sign()` / `make_token()`
    naming     formatted into a key or name, passed to a cache/bucket/lock, used as an id
    out        returned or stored with no purpose visible

A digest is a protection when a use says so, or when a secret goes in and the digest leaves
the function with no naming use. A name in the neighbourhood alone is never enough.
"""
from __future__ import annotations

from dataclasses import dataclass

from servicelens import ir
from servicelens.rules.python._purpose import HashPurpose, expr_words, id_words

_DIGEST_METHODS = frozenset({"hexdigest", "digest", "hex", "decode", "encode", "upper", "lower"})
_PASS_THROUGH = frozenset({"str", "bytes", "base64.b64encode", "base64.urlsafe_b64encode", "binascii.hexlify"})


@dataclass(frozen=True, slots=True)
class DigestUse:
    security: bool  # a use that says the digest protects something
    naming: bool  # a use that says the digest names something
    out: bool  # it leaves the function (returned or stored)
    secret_input: bool  # a secret value goes into it


def digest_purpose(call: ir.Call, function: ir.Function | None, body: tuple[ir.Stmt, ...],
                   vocab: HashPurpose) -> DigestUse:
    uses: list[str] = []
    inputs: list[ir.Expr] = [*call.args, *(kw.value for kw in call.kwargs if kw.name != "usedforsecurity")]
    stmts = list(ir.walk_stmts(body))
    tracked: list[str] = []
    for stmt in stmts:
        parents = _parents(stmt)
        if id(call) in parents or any(root is call for root in ir.stmt_exprs(stmt)):
            uses.extend(_classify(call, stmt, parents, function, vocab, tracked))
            break
    seen: set[str] = set()
    while tracked:
        name = tracked.pop()
        if name in seen or len(seen) > 4:
            continue
        seen.add(name)
        for stmt in stmts:
            parents = _parents(stmt)
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if not (isinstance(node, ir.Name) and node.id == name) or _is_target(node, stmt):
                        continue
                    update = _update_call(node, parents)
                    if update is not None:
                        inputs.extend(update.args)
                        continue
                    uses.extend(_classify(node, stmt, parents, function, vocab, tracked))
    secret = any(vocab.secret_inputs & expr_words(arg) for arg in inputs)
    return DigestUse("security" in uses, "naming" in uses, "out" in uses, secret)


def _parents(stmt: ir.Stmt) -> dict[int, ir.Expr]:
    parents: dict[int, ir.Expr] = {}
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            for child in ir.child_exprs(node):
                parents[id(child)] = node
    return parents


def _is_target(node: ir.Name, stmt: ir.Stmt) -> bool:
    return isinstance(stmt, ir.Assign) and any(t is node for t in stmt.targets)


def _update_call(node: ir.Expr, parents: dict[int, ir.Expr]) -> ir.Call | None:
    """`h.update(data)`: data goes into the digest of hash object `h`."""
    attr = parents.get(id(node))
    call = parents.get(id(attr)) if isinstance(attr, ir.Attr) and attr.attr == "update" else None
    return call if isinstance(call, ir.Call) and call.func is attr else None


def _carrier(node: ir.Expr, parents: dict[int, ir.Expr]) -> ir.Expr:
    """Climb through `.hexdigest()`, `[:12]`, `str(...)`: they carry the same digest."""
    while True:
        parent = parents.get(id(node))
        if isinstance(parent, ir.Attr) and parent.attr in _DIGEST_METHODS:
            call = parents.get(id(parent))
            node = call if isinstance(call, ir.Call) and call.func is parent else parent
        elif _wraps(parent, node):
            node = parent  # type: ignore[assignment]
        else:
            return node


def _wraps(parent: ir.Expr | None, node: ir.Expr) -> bool:
    if isinstance(parent, ir.Subscript):
        return parent.value is node
    if isinstance(parent, ir.Seq) and parent.kind == "tuple":
        return True  # `return raw, digest`: the tuple carries the digest
    return isinstance(parent, ir.Call) and ir.dotted_name(parent.func) in _PASS_THROUGH \
        and any(arg is node for arg in parent.args)


def _classify(node: ir.Expr, stmt: ir.Stmt, parents: dict[int, ir.Expr], function: ir.Function | None,
              vocab: HashPurpose, tracked: list[str]) -> list[str]:
    node = _carrier(node, parents)
    parent = parents.get(id(node))
    if parent is None:
        return _at_statement(node, stmt, function, vocab, tracked)
    if isinstance(parent, ir.Compare):
        others = [e for e in (parent.left, *parent.comparators) if e is not node]
        return ["security"] if any(vocab.security_sinks & expr_words(e) for e in others) else []
    if isinstance(parent, (ir.FormattedString, ir.BinOp)):
        return _composite(parent, node, parents, vocab)
    if isinstance(parent, ir.DictExpr):
        keys = [k for k, v in zip(parent.keys, parent.values) if v is node and k is not None]
        return [_stored(expr_words(keys[0]), vocab)] if keys else []
    if isinstance(parent, ir.Call):
        return _argument(parent, node, vocab)
    return []


def _at_statement(node: ir.Expr, stmt: ir.Stmt, function: ir.Function | None, vocab: HashPurpose,
                  tracked: list[str]) -> list[str]:
    if isinstance(stmt, ir.Return):
        name = set(id_words(function.name)) if function else set()
        if vocab.security_functions & name:
            return ["security"]
        return ["naming"] if vocab.naming_words & name else ["out"]
    if isinstance(stmt, ir.Assign) and stmt.value is node and stmt.targets:
        target = stmt.targets[0]
        if isinstance(target, ir.Name):
            tracked.append(target.id)
            return []
        words = set(id_words(ir.last_name(target) or "")) if isinstance(target, ir.Attr) else \
            expr_words(target.index) if isinstance(target, ir.Subscript) else set()
        return [_stored(words, vocab)]
    return []


def _stored(words: set[str], vocab: HashPurpose) -> str:
    if vocab.security_sinks & words:
        return "security"
    return "naming" if vocab.naming_words & words else "out"


def _composite(parent: ir.Expr, node: ir.Expr, parents: dict[int, ir.Expr], vocab: HashPurpose) -> list[str]:
    """`f"pw-{digest}"` names a bucket; `url + "&sign=" + digest` sends a signature."""
    if isinstance(parent, ir.BinOp) and parent.op == "%" and parent.left is node:
        return ["naming"]  # int(digest, 16) % n: a bucket
    top = parent
    while isinstance(parents.get(id(top)), (ir.BinOp, ir.FormattedString)):
        top = parents[id(top)]
    literal = {w for part in ir.walk_expr(top) if isinstance(part, ir.Const) for w in expr_words(part)}
    return ["security"] if vocab.security_sinks & literal else ["naming"]


def _argument(call: ir.Call, node: ir.Expr, vocab: HashPurpose) -> list[str]:
    callee = ir.dotted_name(call.func) or ""
    callee_words = {w for part in callee.split(".") for w in id_words(part)}
    if callee.rsplit(".", 1)[-1] in vocab.compare_calls:
        return ["security"]
    keyword = next((kw.name for kw in call.kwargs if kw.value is node and kw.name), None)
    if keyword is not None:
        return [_stored(set(id_words(keyword)), vocab)]
    if callee_words & {"int"} and len(call.args) > 1:
        return ["naming"]  # int(digest, 16): a number for bucketing
    if vocab.security_sinks & callee_words:
        return ["security"]
    return ["naming"] if vocab.naming_words & callee_words else []

