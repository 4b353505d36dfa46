"""Currency amounts held in binary floating point.

## What it finds
- model columns for money declared as floats: `price = models.FloatField()`,
  `Column(Float)`, `mapped_column(Float)`, `amount: Mapped[float]`;
- schema and dataclass fields for money typed `float` (`total: float` in a pydantic,
  SQLModel or dataclass model);
- money converted to `float` for arithmetic or storage:
  `amount = float(request.POST["amount"])`, `total = float(order.total) * 1.2`,
  `return round(float(amount) * rate, 2)`;
- money turned into minor units by truncation: `cents = int(body.amount * 100)` (a float 19.99
  times 100 is 1998.999..., so int() charges one cent less).

## Why it matters
Binary floats cannot represent most decimal cents: `0.1 + 0.2 == 0.30000000000000004`,
`round(2.675, 2) == 2.67`. Summing a million $0.10 items drifts by whole cents, so
invoices, ledgers and the payment provider disagree and reconciliation fails; a 1-cent
difference on each of 10,000 daily orders is $100 a day nobody can explain.

## Example
```python
class Invoice(models.Model):
    total = models.FloatField()
```

## Fix
`models.DecimalField(max_digits=12, decimal_places=2)`, `Numeric(12, 2)`, `Decimal`
annotations, `Decimal(str_value)` conversions; or integer minor units (`amount_cents: int`).

## Known problems
A name alone is not money. `price`, `fee`, `subtotal`, `salary` (and the like) are; `amount`,
`total`, `balance`, `cost`, `tax`, `discount` are money only when the class or function
around them is about money: a currency/payment/invoice/billing/ledger word, another money
name, `Decimal`/`Numeric` elsewhere in it, a currency code literal (`"EUR"`), a payment
provider (`stripe.*`), or an owner named `Order`, `Account`, `Product`. An ingredient
`amount`, a graph edge `cost` or an audio `balance` stay silent; a float `amount` in a
module-level helper with no money context nearby is missed (false negative). A name is never
its own context. Serializer and GraphQL output fields (`graphene.Float`, DRF `FloatField`)
are not reported: they format a value for JSON rather than compute with it. A column whose own
`help_text` / `verbose_name` / `description` says it measures goods (a quantity, a unit of
measure, a weight) is not money whatever its name. `int(x * 100)` is reported for money names
even when `x` is a Decimal (then it truncates sub-cent amounts rather than rounding them).
An amount declared `int` (satoshis, cents) scaled by an integer factor is exact and not
reported; a class or field named as a statistic, estimate or chart figure (`DailyStats.balance`,
`average_amount`) is a dashboard value, not a ledger.
A money field declared as a float (a model column, a schema field) is reported only when the
project computes with that name somewhere (an operand of `+ - * /`, an augmented assignment,
`sum(...)`, `Sum("amount")`, `F("price")`) or hands it to a payment (`stripe.PaymentIntent.create(amount=...)`,
`gateway.charge(...)`), or when the reviewed code never reads it at all (its use lies outside the
tree): a price the project reads but only stores, shows, sorts or compares is
informational and loses nothing to a float. The name is matched project-wide, not per class, so
arithmetic on another class's `price` keeps the declaration reported.
Vocabulary: models/vocabulary/purpose.yaml (`money`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.needs import needs
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.config.settings import Settings
from servicelens.rules.base import Rule, contribution
from servicelens.rules.python._common import is_test_path, target_name
from servicelens.rules.python._purpose import has_money_context, id_words, vocabulary
from servicelens.rules.python.rel_shared import chain, is_money_name, render
from servicelens.taint.scope import ModuleScope

_FLOAT_TYPES = frozenset({"Float", "FLOAT", "Double", "DOUBLE", "REAL", "DOUBLE_PRECISION", "FloatField"})
_SCHEMA_BASES = frozenset({"BaseModel", "SQLModel", "Schema", "TypedDict", "NamedTuple", "Struct"})
# dispatch by name (analysis.needs): every statement-level finding of a function body turns a value
# into a float (`float(amount)`) or truncates one (`int(amount * 100)`)
_CONVERSIONS = needs(calls=("float", "int"))


@dataclass(frozen=True, slots=True)
class _Facts:
    """A file's money fields declared as float (judged project-wide), and the money names its code
    computes with."""
    declared: tuple[tuple[str, Finding], ...]
    computed: frozenset[str]
    used: frozenset[str]  # money names read anywhere (`row.price`, `price=...`, `"price"`)


_NOTHING = _Facts((), frozenset(), frozenset())


def collect(module: ir.Module, scope: ModuleScope) -> _Facts | None:
    if is_test_path(module.path) or "/migrations/" in f"/{module.path}":
        return None
    computed, used = money_names(module, file_index(module, scope))
    return contribution(_Facts(tuple(_declarations(module)), computed, used), _NOTHING)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """A float money field matters where the project computes with it: adds, multiplies, sums or
    aggregates it (`total += line.price * line.qty`, `Sum("amount")`). A price the project reads
    but only stores, shows, sorts or compares (an inventory's informational purchase price) loses
    nothing to a float, so its declaration is not reported; one the reviewed code never reads
    (its use lies outside the tree) is judged by its declaration alone."""
    facts = [f for f in per_file.values() if isinstance(f, _Facts)]
    computed = frozenset().union(*(f.computed for f in facts))
    used = frozenset().union(*(f.used for f in facts))
    for fact in facts:
        for name, finding in fact.declared:
            if name in computed or name not in used:
                yield finding


def _declarations(module: ir.Module) -> Iterable[tuple[str, Finding]]:
    vocab = vocabulary().money
    for cls in module.classes:
        schema = _is_schema(cls)
        if _statistic(cls.name, vocab.statistic_words):
            continue  # a chart point, a dashboard figure or a report: not a ledger
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign):
                found = _field_decl(stmt, schema)
                if found is not None and not _documented_as_quantity(stmt) and \
                        not _statistic(found[0], vocab.statistic_words) and \
                        has_money_context(found[0], (cls.name,), cls.body, stmt, (), vocab):
                    yield found[0], _finding(module, stmt, *found)


_AGGREGATES = frozenset({"sum", "fsum", "Sum", "Avg", "F", "mean", "func.sum", "ExpressionWrapper"})


def money_names(module: ir.Module, index: FileIndex) -> tuple[frozenset[str], frozenset[str]]:
    """Money names (`price`, `amount`, `total`) this file computes with, and those it reads, asked
    of the file's index by node kind (module level, class bodies, function bodies).

    Computed: an operand of `+ - * /` or of an augmented assignment, or what `sum(...)`/
    `Sum("amount")`/`F("price")` adds up, or what is handed to a payment provider; as a variable,
    an attribute (`line.price`) or a key (`data["amount"]`).
    Read: by attribute, key, keyword or field-name string (`row.price`, `data["price"]`,
    `Spool(price=...)`, `fields = ["price"]`); a class body's own declarations (`price =
    FloatField()`) are names being bound, not reads, so class bodies only count as computed."""
    if not any(is_money_name(name) for category in ("names", "attrs", "keywords", "consts")
               for name in index.named(category)):
        # each name kept below is a bare name, attribute, keyword or string constant of the file,
        # and only money names are kept: a file without any (by the index's names) has none
        return frozenset(), frozenset()
    computed: set[str] = set()
    used: set[str] = set()
    covered: set[int] = set()  # arithmetic nested in arithmetic already read with its outer operand
    bodies = [(module.body, True), *((cls.body, False) for cls in module.classes),
              *((function.body, True) for function in module.functions)]
    for body, reads in bodies:
        for stmt in index.walk_stmts(body):
            if type(stmt) is ir.Assign and stmt.op is not None and stmt.op in "+-*/":
                computed.update(_operand_names(t) for t in stmt.targets)
                if stmt.value is not None:
                    _operands(stmt.value, computed, covered)
        for node in index.block_of_kind(body, ir.BinOp):
            if node.op in _ARITHMETIC and id(node) not in covered:
                _operands(node.left, computed, covered)
                _operands(node.right, computed, covered)
        for call in index.block_of_kind(body, ir.Call):
            if reads:
                used.update(k.name for k in call.kwargs if k.name)
            if ir.dotted_name(call.func) in _AGGREGATES:
                for arg in call.args:
                    _operands(arg, computed, covered)
            elif _moves_money(call):
                # handed to a payment provider or a charge: the value is money that moves
                computed.update(k.name for k in call.kwargs if k.name)
                for arg in (*call.args, *(k.value for k in call.kwargs)):
                    _operands(arg, computed, covered)
        if reads:
            used.update(node.attr for node in index.block_of_kind(body, ir.Attr))
            used.update(_operand_names(node) for node in index.block_of_kind(body, ir.Subscript))
            used.update(_operand_names(node) for node in index.block_of_kind(body, ir.Const))
    return (frozenset(n for n in computed if n and is_money_name(n)),
            frozenset(n for n in used if n and is_money_name(n)))


_ARITHMETIC = frozenset({"+", "-", "*", "/", "//"})


def _operands(expr: ir.Expr, computed: set[str], covered: set[int]) -> None:
    """The names in an operand of arithmetic; the arithmetic nested in it is covered with it."""
    for node in ir.walk_expr(expr):
        name = _operand_names(node)
        if name:
            computed.add(name)
        elif type(node) is ir.BinOp:
            covered.add(id(node))


_MOVES_MONEY = frozenset({"stripe", "paypal", "braintree", "adyen", "razorpay", "mollie", "payment", "payments",
                          "charge", "refund", "payout", "transfer", "invoice", "checkout", "capture"})


def _moves_money(call: ir.Call) -> bool:
    """`stripe.PaymentIntent.create(...)`, `gateway.charge(...)`, `create_refund(...)`."""
    return any(_names_money_movement(name) for name in chain(call))


@lru_cache(maxsize=8192)
def _names_money_movement(name: str) -> bool:
    """Asked of every callee name of every file: a project calls the same few hundred names."""
    return any(w in _MOVES_MONEY for w in id_words(name))


def _operand_names(node: ir.Expr) -> str:
    """The name a value goes by: `price`, `line.price` -> price, `data["amount"]` -> amount, and a
    string naming a field to an aggregate (`Sum("amount")`)."""
    if isinstance(node, ir.Name):
        return node.id
    if isinstance(node, ir.Attr):
        return node.attr
    if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
        return node.index.value
    if isinstance(node, ir.Const) and isinstance(node.value, str) and node.value.isidentifier():
        return node.value
    return ""


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or "/migrations/" in f"/{module.path}":
        return
    vocab = vocabulary().money
    index = file_index(module, scope)
    for function in module.functions:
        owners = (function.name, function.class_name or "")
        stmts = index.walk_stmts(function.body)
        params = _param_exprs(function)
        if function.qualname in scope.handlers:
            for stmt, found in _float_params(function):
                if has_money_context(found[0], owners, stmts, None, params, vocab):
                    yield _finding(module, stmt, *found)
        if not index.holds(_CONVERSIONS, function.body):
            continue
        integers = _integer_params(function)
        for stmt in stmts:
            found = _float_conversion(stmt) or _float_return(stmt, index) or \
                _truncated_minor_units(stmt, index, integers) or _float_round_trip(stmt, stmts)
            if found is not None and not _statistic(found[0], vocab.statistic_words) and \
                    has_money_context(found[0], owners, stmts, stmt, params, vocab):
                yield _finding(module, stmt, *found)


def _statistic(name: str, words: frozenset[str]) -> bool:
    return bool(set(id_words(name)) & words)


def _integer_params(function: ir.Function) -> frozenset[str]:
    """Parameters declared `int` (or `int | None`, `Optional[int]`): integer minor units such as
    satoshis or cents, which an integer factor scales exactly."""
    out = set()
    for param in function.params:
        names = {n.id for n in ir.walk_expr(param.annotation) if isinstance(n, ir.Name)} \
            if param.annotation is not None else set()
        if "int" in names and not names & {"float", "Decimal", "str", "Any"}:
            out.add(param.name)
    return frozenset(out)


def _param_exprs(function: ir.Function) -> tuple[ir.Expr, ...]:
    """Parameter names and annotations: `wallet_id`, `currency: str` say what a function is about."""
    names = tuple(ir.Name(p.line, 0, p.name) for p in function.params)
    return names + tuple(p.annotation for p in function.params if p.annotation is not None)


def _float_params(function: ir.Function) -> Iterable[tuple[ir.Assign, tuple[str, str, str, Confidence]]]:
    """`def debit(amount: float)` on a FastAPI/Flask handler: the API parses money into a float."""
    for param in function.params:
        if param.annotation is None or not is_money_name(param.name):
            continue
        annotation = param.annotation
        head, inner = _generic(annotation)
        if head == "Annotated" and inner:
            annotation = inner[0]
        if _is_float(annotation):
            declared = ir.Assign(param.line, param.line, (ir.Name(param.line, 0, param.name),), None)
            yield declared, (param.name, "schema", "float", Confidence.MEDIUM)


def _is_schema(cls: ir.ClassDef) -> bool:
    bases = {(chain(b) or [""])[-1] for b in cls.bases}
    return bool(bases & _SCHEMA_BASES) or any((chain(d) or [""])[-1] == "dataclass" for d in cls.decorators)


def _field_decl(stmt: ir.Assign, schema: bool) -> tuple[str, str, str, Confidence] | None:
    """(name, kind, declared as, confidence) for a money field declared as float."""
    name = target_name(stmt.targets[0]) if stmt.targets else None
    if not is_money_name(name):
        return None
    value = stmt.value
    if isinstance(value, ir.Call):
        last = (chain(value) or [""])[-1]
        if last == "FloatField" and "models" in chain(value):
            return name or "", "django", "models.FloatField", Confidence.HIGH
        if last in ("Column", "mapped_column") and any((chain(a) or [""])[-1] in _FLOAT_TYPES for a in value.args):
            return name or "", "sqlalchemy", f"{last}(Float)", Confidence.HIGH
    annotation = stmt.annotation
    if annotation is not None:
        head, params = _generic(annotation)
        if head == "Mapped" and len(params) == 1 and _is_float(params[0]):
            return name or "", "sqlalchemy", "Mapped[float]", Confidence.HIGH
        if schema and _is_float(annotation):
            return name or "", "schema", "float", Confidence.MEDIUM
    return None


def _generic(expr: ir.Expr) -> tuple[str, tuple[ir.Expr, ...]]:
    """`Optional[float]` -> ("Optional", (float,)); works for Subscript and the lowered generic_type."""
    if isinstance(expr, ir.Subscript):
        index = expr.index
        return (chain(expr.value) or [""])[-1], index.elts if isinstance(index, ir.Seq) else (index,)
    if isinstance(expr, ir.Opaque) and expr.kind == "generic_type" and expr.children:
        params = tuple(c for child in expr.children[1:] for c in
                       (child.children if isinstance(child, ir.Opaque) else (child,)))
        return (chain(expr.children[0]) or [""])[-1], params
    return "", ()


def _is_float(expr: ir.Expr) -> bool:
    if isinstance(expr, ir.Name):
        return expr.id == "float"
    if isinstance(expr, ir.BinOp) and expr.op == "|":  # float | None
        return _is_float(expr.left) or _is_float(expr.right)
    head, params = _generic(expr)
    return head == "Optional" and len(params) == 1 and _is_float(params[0])


def _float_conversion(stmt: ir.Stmt) -> tuple[str, str, str, Confidence] | None:
    if not isinstance(stmt, ir.Assign) or stmt.value is None or len(stmt.targets) != 1:
        return None
    name = target_name(stmt.targets[0])
    value = stmt.value
    if not is_money_name(name):
        return None
    if _is_float_call(value):
        return name or "", "conversion", render(value), Confidence.MEDIUM
    if isinstance(value, ir.BinOp) and value.op in "+-*/" and any(_is_float_call(n) for n in ir.walk_expr(value)):
        return name or "", "arithmetic", render(value), Confidence.MEDIUM
    return None


def _float_round_trip(stmt: ir.Stmt, stmts: Iterable[ir.Stmt]) -> tuple[str, str, str, Confidence] | None:
    """`share = float(total) / count` later turned back into money (`Decimal(str(round(share, 2)))`,
    `round(share, 2)`): money computed in binary float under a neutral name, so the parts
    need not add up to the whole. Named by the money converted."""
    if not isinstance(stmt, ir.Assign) or stmt.value is None or len(stmt.targets) != 1:
        return None
    target = target_name(stmt.targets[0])
    value = stmt.value
    if not target or is_money_name(target) or not (isinstance(value, ir.BinOp) and value.op in "+-*/"):
        return None
    money = next((_last_name(n.args[0]) for n in ir.walk_expr(value)  # type: ignore[union-attr]
                  if _is_float_call(n) and is_money_name(_last_name(n.args[0]))), None)  # type: ignore[union-attr]
    if money is None:
        return None
    for later in stmts:
        if later.line <= stmt.line:
            continue
        for root in ir.stmt_exprs(later):
            if any(_back_to_money(node, target) for node in ir.walk_expr(root)):
                return money, "arithmetic", render(value), Confidence.MEDIUM
    return None


def _back_to_money(node: ir.Expr, name: str) -> bool:
    """`Decimal(... name ...)` or `round(name, 2)`: a float result made into a currency amount again."""
    if not isinstance(node, ir.Call) or not isinstance(node.func, ir.Name):
        return False
    uses = any(isinstance(n, ir.Name) and n.id == name for a in node.args for n in ir.walk_expr(a))
    if node.func.id == "Decimal":
        return uses
    return node.func.id == "round" and len(node.args) == 2 and isinstance(node.args[0], ir.Name) \
        and node.args[0].id == name and isinstance(node.args[1], ir.Const) and node.args[1].value == 2


def _float_return(stmt: ir.Stmt, index: FileIndex) -> tuple[str, str, str, Confidence] | None:
    """`return round(float(amount) * rate, 2)`: money turned into a float for arithmetic and handed
    back (a converter or repository helper), named by the money it converts."""
    if not isinstance(stmt, ir.Return) or stmt.value is None:
        return None
    for node in index.under(stmt.value, ir.BinOp):
        if node.op in "+-*/":
            for side in (node.left, node.right):
                if _is_float_call(side) and is_money_name(_last_name(side.args[0])):  # type: ignore[union-attr]
                    return _last_name(side.args[0]), "arithmetic", render(stmt.value), Confidence.MEDIUM  # type: ignore[union-attr]
    return None


_MINOR_UNITS = frozenset({100, 1000, 100.0, 1000.0})


def _truncated_minor_units(stmt: ir.Stmt, index: FileIndex, integers: frozenset[str] = frozenset()
                           ) -> tuple[str, str, str, Confidence] | None:
    """`cents = int(body.amount * 100)`: int() truncates, and a float 19.99 * 100 is 1998.9999...,
    so the customer is charged 1998 cents. Decimal amounts are exact only before the truncation;
    an amount declared `int` (satoshis to millisatoshis) is exact throughout."""
    value = stmt.value if isinstance(stmt, (ir.Assign, ir.Return)) else None
    for node in index.under(value, ir.Call) if value is not None else ():
        if isinstance(node.func, ir.Name) and node.func.id == "int" \
                and len(node.args) == 1 and isinstance(node.args[0], ir.BinOp) and node.args[0].op == "*":
            product = node.args[0]
            for money, factor in ((product.left, product.right), (product.right, product.left)):
                if isinstance(factor, ir.Const) and factor.value in _MINOR_UNITS and \
                        isinstance(money, (ir.Name, ir.Attr)) and is_money_name(_last_name(money)) \
                        and not (isinstance(money, ir.Name) and money.id in integers):
                    return _last_name(money), "truncation", render(node), Confidence.MEDIUM
    return None


def _last_name(expr: ir.Expr) -> str:
    if isinstance(expr, ir.Attr):
        return expr.attr
    return expr.id if isinstance(expr, ir.Name) else ""


_DOC_KWARGS = frozenset({"help_text", "verbose_name", "description", "doc", "comment", "title"})
_QUANTITY_DOC = ("quantity", "unit of measure", "units", "weight", "volume", "length", "kg", "litre", "liter",
                 "pieces", "count of", "number of", "percentage", "ratio", "score")
_MONEY_DOC = ("price", "cost", "currency", "money", "payment", "charge", "fee", "eur", "usd", "cents", "amount due")


def _documented_as_quantity(stmt: ir.Assign) -> bool:
    """`amount = models.FloatField(help_text="Quantity moved, in kg")`: the field's own documentation
    says it measures goods, not currency."""
    if not isinstance(stmt.value, ir.Call):
        return False
    text = " ".join(str(kw.value.value).lower() for kw in stmt.value.kwargs
                    if kw.name in _DOC_KWARGS and isinstance(kw.value, ir.Const) and isinstance(kw.value.value, str))
    return any(w in text for w in _QUANTITY_DOC) and not any(w in text for w in _MONEY_DOC)


def _is_float_call(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id == "float" \
        and len(expr.args) == 1 and not isinstance(expr.args[0], ir.Const)


def _finding(module: ir.Module, stmt: ir.Assign, name: str, kind: str, declared: str,
             confidence: Confidence) -> Finding:
    fixes = {
        "django": (f"{name} = models.DecimalField(max_digits=12, decimal_places=2)", "Store money as DecimalField "
                   "(and migrate the column), or as integer cents."),
        "sqlalchemy": (f"{name}: Mapped[Decimal] = mapped_column(Numeric(12, 2))", "Store money as Numeric(12, 2) "
                       "(and migrate the column), or as integer cents."),
        "schema": (f"{name}: Decimal  # or condecimal(max_digits=12, decimal_places=2)", "Type money fields as "
                   "Decimal (pydantic parses \"19.99\" exactly) or as integer cents."),
    }
    code, text = fixes.get(kind, (f"{name} = Decimal(str({render(stmt.value.args[0]) if isinstance(stmt.value, ir.Call) and stmt.value.args else '...'}))",
                                  "Parse and compute money with Decimal (from the string, never from a float)."))
    where = "is declared as" if kind in fixes else "is computed with"
    if kind == "truncation":
        code, text = (f"{name}_cents = int((Decimal(str({name})) * 100).quantize(Decimal(\"1\"), ROUND_HALF_UP))",
                      "Convert to minor units from a Decimal and round explicitly; int() truncates, and a float "
                      "19.99 * 100 is 1998.999..., one cent short.")
        where = "is converted to minor units by truncation:"
    return make_finding(
        "float-for-money", Location(module.path, stmt.line, stmt.end_line),
        f"Money `{name}` {where} binary float (`{declared}`)",
        "Floats cannot hold most cent values exactly: 0.1 + 0.2 == 0.30000000000000004 and round(2.675, 2) == "
        "2.67. Summed over many orders the cents drift, so invoices, ledgers and the payment provider disagree; "
        "a one-cent error on 10,000 daily orders is $100 a day that fails reconciliation.",
        severity=Severity.HIGH if kind in ("django", "sqlalchemy") else Severity.MEDIUM,
        confidence=confidence, fix=Fix(text, "from decimal import Decimal\n\n" + code + "\n", "python"),
        rule=RULE.id, key=f"{name}:{kind}",
    )


RULE = Rule("py-float-for-money", frozenset({"float-for-money"}), "python", check, collect=collect, combine=combine)
