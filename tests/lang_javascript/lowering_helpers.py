"""Lower a JS/TS source string the way the per-file phase does."""
from __future__ import annotations

from servicelens import ir
from servicelens.lang.javascript import grammar_for, language_for, lower_module
from servicelens.sources.parsing import ParserPool


def lower(source: str, rel: str = "app.js") -> ir.Module:
    tree = ParserPool().parse(grammar_for(rel), source.encode())
    return lower_module(tree.root_node, rel, tuple(source.splitlines()), language_for(rel))


def function(module: ir.Module, qualname: str) -> ir.Function:
    return next(f for f in module.functions if f.qualname == qualname)


def assigns(body: tuple[ir.Stmt, ...]) -> dict[str, ir.Expr | None]:
    """Every simple `name = value` in the body (nested blocks included), by name."""
    return {t.id: s.value for s in ir.walk_stmts(body) if isinstance(s, ir.Assign)
            for t in s.targets if isinstance(t, ir.Name)}


def calls(body: tuple[ir.Stmt, ...]) -> list[ir.Call]:
    return [e for s in ir.walk_stmts(body) for root in ir.stmt_exprs(s) for e in ir.walk_expr(root)
            if isinstance(e, ir.Call)]


def show(expr: ir.Expr | None) -> str:
    """An expression without positions, to compare shapes: `req.params.id`, `pair[0]`."""
    if expr is None:
        return "None"
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Const):
        return repr(expr.value)
    if isinstance(expr, ir.Attr):
        return f"{show(expr.value)}.{expr.attr}"
    if isinstance(expr, ir.Subscript):
        return f"{show(expr.value)}[{show(expr.index)}]"
    if isinstance(expr, ir.Call):
        return f"{show(expr.func)}({', '.join(show(a) for a in expr.args)})"
    if isinstance(expr, ir.BoolOp):
        return f"({f' {expr.op} '.join(show(v) for v in expr.values)})"
    if isinstance(expr, ir.FormattedString):
        return "f<" + " + ".join(show(p) for p in expr.parts) + ">"
    if isinstance(expr, ir.DictExpr):
        return "{" + ", ".join(f"{show(k) if k else '**'}: {show(v)}" for k, v in zip(expr.keys, expr.values)) + "}"
    if isinstance(expr, ir.Starred):
        return f"*{show(expr.value)}"
    return type(expr).__name__
