"""Float for money: currency amounts computed or stored as JavaScript numbers (binary floating
point) in major units.

## What it finds
- money arithmetic kept as money: `const total = items.reduce((sum, i) => sum + i.unitPrice *
  i.quantity, 0)`, `order.amount = price * qty * 1.2`: a sum, difference, product or quotient of
  money values in major units, assigned to a money name;
- money parsed into a number: `const amount = parseFloat(req.body.amount)`, `Number(row.price)`;
- schema fields declaring money as a float: Mongoose `price: Number` / `{ type: Number }`,
  Sequelize `DataTypes.FLOAT` / `DOUBLE` / `REAL`, and a decorated entity's money field whose column
  decorator declares one (TypeORM `@Column({ type: 'double precision' })`, `@Column('float')`,
  sequelize-typescript `@Column(DataType.DOUBLE)`).
Money is judged as for Python (models/vocabulary/purpose.yaml `money`): `price`, `fee`, `subtotal`
are money by name; `amount`, `total`, `balance` only in a class, function or model about money.
Names in minor units (`amountCents`, `totalMinor`, `pence`) are exact integers and stay silent, and
so are the fields payment providers send in minor units (Stripe's `price.unit_amount`,
`invoice.amount_due`: models/node/rules.yaml `minor_unit_fields`), so `unit_amount * seats` is
integer arithmetic.

## Why it matters
A JavaScript number cannot hold most decimal cents: `0.1 + 0.2` is `0.30000000000000004` and
`3 * 19.99` is `59.970000000000006`. Totals drift by cents, the stored NUMERIC column, the payment
provider and the ledger disagree, and reconciliation fails.

## Example
```js
const total = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
```
Use instead:
```js
const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
```

## Fix
Keep amounts in integer minor units (cents) end to end, or use a decimal library (`decimal.js`,
`big.js`, `dinero.js`) and a NUMERIC column read as a string.

## Known problems
Values a decimal library already holds are not told apart when they are combined with `+`/`*`
(they cannot be: those operators would coerce them); a field named as money that holds a
quantity is reported.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import knowledge, location, option
from servicelens.rules.python._common import is_dev_path
from servicelens.rules.python._purpose import MoneyVocabulary, has_money_context, id_words, vocabulary
from servicelens.rules.python.rel_shared import is_money_name
from servicelens.taint.scope import ModuleScope

_MINOR_UNITS = frozenset({"cents", "cent", "minor", "pence", "penny", "satoshi", "satoshis", "sats", "micros",
                          "paise", "kopeks", "units", "bps", "count", "quantity", "qty"})
_ARITHMETIC = frozenset({"+", "-", "*", "/"})
_PARSERS = frozenset({"parseFloat", "Number"})
_FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE", "REAL", "DOUBLE PRECISION"})
_FIX = "const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);"


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    vocab = vocabulary().money
    functions = {f.qualname: f for f in module.functions}
    for function in module.functions:
        owners = _owners(function, functions)
        if any(set(id_words(owner)) & vocab.statistic_words for owner in owners):
            continue  # a dashboard figure or a report of money, not a ledger
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.Assign) or stmt.value is None or len(stmt.targets) != 1:
                continue
            name = _name(stmt.targets[0])
            if not name or not _money(name, owners, function.body, stmt, vocab):
                continue
            how = _float_math(stmt.value, module, function, functions, owners, vocab)
            if how:
                yield _finding(module, stmt, f"`{name}` is {how} in binary floating point", name)
    for cls in module.classes:
        for field, line in _float_columns(module, cls, vocab):
            yield _finding(module, ir.Const(line, 0, None),
                           f"Money column `{field}` is declared as a floating-point number", field)
    for stmt in ir.walk_stmts(module.body + tuple(s for f in module.functions for s in f.body)):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call):
                    for field, line in _float_fields(node, vocab):
                        yield _finding(module, ir.Const(line, 0, None),
                                       f"Money field `{field}` is declared as a floating-point number", field)


def _finding(module: ir.Module, node: ir.Stmt | ir.Expr, title: str, name: str) -> Finding:
    return make_finding(
        "float-for-money", location(module, node), title,
        "A JavaScript number cannot hold most decimal cents (3 * 19.99 is 59.970000000000006): totals drift, and "
        "the stored amount, the payment provider and the ledger disagree.",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        fix=Fix("Keep amounts in integer minor units (cents) end to end, or use a decimal library and a NUMERIC "
                "column read as a string.", _FIX, "javascript"),
        rule=RULE.id, key=f"{name}|{module.line_text(getattr(node, 'line', 0))}",
    )


def _owners(function: ir.Function, functions: dict[str, ir.Function]) -> tuple[str, ...]:
    """The function, its class and the functions it is nested in: a callback's money context is
    its enclosing method's."""
    names = [function.name, function.class_name or ""]
    parent = function.qualname.rpartition(".<locals>.")[0]
    while parent:
        outer = functions.get(parent)
        if outer is not None:
            names += [outer.name, outer.class_name or ""]
        parent = parent.rpartition(".<locals>.")[0]
    return tuple(n for n in names if n and not n.startswith("<anon@"))


def _name(target: ir.Expr) -> str:
    return target.id if isinstance(target, ir.Name) else target.attr if isinstance(target, ir.Attr) else ""


def _minor(name: str) -> bool:
    """`amountCents`, `totalMinor`; a provider's field in minor units (Stripe's `unit_amount`)."""
    return bool(set(id_words(name)) & _MINOR_UNITS) or name in knowledge().minor_unit_fields


def _money(name: str, owners: tuple[str, ...], stmts: tuple[ir.Stmt, ...], candidate: ir.Stmt | None,
           vocab: MoneyVocabulary) -> bool:
    """A name that says money (`unitPrice`, `totalAmount`; `total` only where the code is about
    money), not a count, rate or id of it, nor minor units."""
    return is_money_name(name) and not _minor(name) and has_money_context(name, owners, stmts, candidate, (), vocab)


def _float_math(value: ir.Expr, module: ir.Module, function: ir.Function, functions: dict[str, ir.Function],
                owners: tuple[str, ...], vocab: MoneyVocabulary) -> str:
    """'computed' for arithmetic over money in major units (here, or in the callback a `reduce`
    runs), 'parsed' for a money value read into a number; '' otherwise."""
    if isinstance(value, ir.Await):
        value = value.value
    for node in ir.walk_expr(value):
        if isinstance(node, ir.BinOp) and node.op in _ARITHMETIC and _money_operand(node, function, owners, vocab):
            return "computed"
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in _PARSERS and node.args \
                and any(_money_leaf(leaf, function, owners, vocab) for leaf in _leaves(node.args[0])):
            return "parsed into a number"
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "reduce":
            for arg in node.args:
                callback = functions.get(f"{function.qualname}.<locals>.{arg.id}") if isinstance(arg, ir.Name) else None
                if callback is not None and any(
                        isinstance(s, ir.Return) and s.value is not None and any(
                            isinstance(n, ir.BinOp) and n.op in _ARITHMETIC and
                            _money_operand(n, callback, owners, vocab) for n in ir.walk_expr(s.value))
                        for s in ir.walk_stmts(callback.body)):
                    return "summed"
    return ""


def _money_operand(node: ir.BinOp, function: ir.Function, owners: tuple[str, ...], vocab: MoneyVocabulary) -> bool:
    """An arithmetic step over a money value in major units, not string building."""
    sides = (node.left, node.right)
    if any(isinstance(side, (ir.FormattedString,)) or (isinstance(side, ir.Const) and isinstance(side.value, str))
           for side in sides):
        return False
    return any(_money_leaf(leaf, function, owners, vocab) for side in sides for leaf in _leaves(side))


def _leaves(expr: ir.Expr) -> Iterator[ir.Expr]:
    """The names and attributes an arithmetic expression reads, not through calls (`Math.round(x)`
    hands back a number of its own) nor fields of fields' lengths."""
    if isinstance(expr, (ir.Name, ir.Attr)):
        yield expr
    elif isinstance(expr, ir.BinOp):
        yield from _leaves(expr.left)
        yield from _leaves(expr.right)
    elif isinstance(expr, ir.Unary):
        yield from _leaves(expr.operand)


def _money_leaf(leaf: ir.Expr, function: ir.Function, owners: tuple[str, ...], vocab: MoneyVocabulary) -> bool:
    name = _name(leaf)
    return bool(name) and _money(name, owners, function.body, None, vocab)


def _float_fields(call: ir.Call, vocab: MoneyVocabulary) -> Iterator[tuple[str, int]]:
    """Mongoose `new Schema({ price: Number })` / `{ price: { type: Number } }`, Sequelize
    `define('Order', { total: DataTypes.FLOAT })` / `Model.init({ ... })`."""
    name = ir.last_name(call.func) or ""
    fields: ir.Expr | None = None
    model = ""
    if name == "Schema" and call.args:
        fields = call.args[0]
    elif name == "define" and len(call.args) >= 2 and isinstance(call.args[0], ir.Const):
        fields, model = call.args[1], str(call.args[0].value)
    elif name == "init" and call.args and isinstance(call.func, ir.Attr):
        fields, model = call.args[0], ir.dotted_name(call.func.value) or ""
    if not isinstance(fields, ir.DictExpr):
        return
    for key, value in zip(fields.keys, fields.values):
        field = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else ""
        if not field or not _money(field, (model,), (), None, vocab):
            continue
        declared = option(value, "type") if isinstance(value, ir.DictExpr) else value
        spelled = ir.dotted_name(declared) or "" if declared is not None else ""
        if spelled == "Number" or spelled.rpartition(".")[2].upper() in _FLOAT_TYPES:
            yield field, key.line if hasattr(key, "line") else call.line


# a column decorator declaring a binary floating-point type: TypeORM `@Column('float')`,
# `@Column({ type: 'double precision' })`, sequelize-typescript `@Column(DataType.DOUBLE)`
_FLOAT_COLUMN = re.compile(r"""(?ix)@Column\s*\(\s*(?:
      ['"](?:float[48]?|double(?:\s+precision)?|real)['"]
    | (?:DataTypes?\.)(?:FLOAT|DOUBLE|REAL)\b
    | \{[^}]*\btype\s*:\s*(?:['"](?:float[48]?|double(?:\s+precision)?|real)['"]|DataTypes?\.(?:FLOAT|DOUBLE|REAL)\b)
    )""")


def _float_columns(module: ir.Module, cls: ir.ClassDef, vocab: MoneyVocabulary) -> Iterator[tuple[str, int]]:
    """A decorated model class's money field (TypeORM `@Entity()`, sequelize-typescript `@Table`) whose
    column decorator, written above it, declares a float type."""
    if not cls.decorators:
        return
    previous = cls.line
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and stmt.value is None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name) and not _minor(stmt.targets[0].id) \
                and _money(stmt.targets[0].id, (cls.name,), (), None, vocab):
            declared = " ".join(module.line_text(line) for line in range(previous + 1, stmt.line + 1))
            if _FLOAT_COLUMN.search(declared):
                yield stmt.targets[0].id, stmt.line
        previous = getattr(stmt, "end_line", 0) or stmt.line


RULE = Rule("js-float-for-money", frozenset({"float-for-money"}), "javascript", check)
