"""Double booking: an overlap check, then an insert, with no lock and no exclusion constraint.

## What it finds
A function that tests whether a row of a model overlaps an interval (a query comparing one of
the model's columns with `<` and another with `>`: `Booking.check_in < check_out,
Booking.check_out > check_in`, Django's `start__lt=end, end__gt=start`), directly or through a
project helper that runs or builds that test (`repo.property_is_free(...)`, `_overlaps(...)`),
uses the answer to refuse the request (an `if` that raises or returns), and then inserts a row of
the same model (`Booking(...)` added to the session, `Booking.objects.create(...)`), with no row
or table lock, no advisory lock and no SERIALIZABLE transaction on the way.

## Why it matters
No unique constraint can say "no two bookings of one room overlap": two requests for the same
dates both run the check, both see a free slot and both insert. The room, the clinician or the
seat is sold twice, and nothing in the data says which booking is the real one.

## Example
```python
clash = Appointment.query.filter(Appointment.clinician_id == cid,
                                 Appointment.starts_at < ends_at, Appointment.ends_at > starts_at).first()
if clash is not None:
    raise SlotTaken()
db.session.add(Appointment(clinician_id=cid, starts_at=starts_at, ends_at=ends_at))
db.session.commit()
```

## Fix
Let the database refuse the overlap: a PostgreSQL exclusion constraint
(`ExcludeConstraint((Appointment.clinician_id, "="), (func.tstzrange(starts_at, ends_at), "&&"))`,
Django's `ExclusionConstraint`) and treat the IntegrityError as "slot taken"; or serialise the
check and the insert: lock the parent row (`select(Clinician).where(...).with_for_update()`,
`select_for_update()`) or take `pg_advisory_xact_lock(resource_id)` first.

## Known problems
The overlap test is recognised in the function itself or in a project function it calls (one
level, by name across the project); one built two calls away is not seen. A model with an
exclusion constraint anywhere in the reviewed tree (`ExcludeConstraint`, `ExclusionConstraint`
in its class body or `__table_args__`) is trusted; one added only in a migration is not seen
(false positive: suppress with the reason). A function, or the helper it calls, that locks, uses
SERIALIZABLE or catches IntegrityError is trusted as a whole.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Mapping, Sequence

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._common import is_test_path, words
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.rules.python.rel_shared import LOCK_CHAIN, chain, is_script_path
from servicelens.taint.scope import ModuleScope

_BELOW = frozenset({"<", "<="})
_ABOVE = frozenset({">", ">="})
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_CONSTRAINTS = ("ExcludeConstraint", "ExclusionConstraint")
_LOCK_WORDS = frozenset({"lock", "locked", "advisory", "mutex", "serializable"})
_CONFLICT_ERRORS = frozenset({"IntegrityError", "ExclusionViolation", "UniqueViolation"})


@dataclass(frozen=True, slots=True)
class OverlapTest:
    """A function whose body tests rows of `model` for overlap with an interval."""
    key: str
    model: str
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class CheckedInsert:
    """A function that refuses on the answer of `check` (a call) and then inserts a `model` row."""
    function: str
    check_callee: str  # the project function called for the check; "" when the test is inline
    model: str
    path: str
    check_line: int
    check_code: str
    insert_line: int
    insert_code: str


@dataclass(frozen=True, slots=True)
class OverlapFacts:
    tests: tuple[OverlapTest, ...]
    inserts: tuple[CheckedInsert, ...]
    excluded: frozenset[str]  # models declaring an exclusion constraint


_NOTHING = OverlapFacts((), (), frozenset())


def collect(module: ir.Module, scope: ModuleScope) -> OverlapFacts | None:
    excluded = frozenset(c.name for c in module.classes if _declares_exclusion(module, c))
    if is_test_path(module.path) or is_script_path(module.path):
        return contribution(OverlapFacts((), (), excluded), _NOTHING)
    tests: list[OverlapTest] = []
    inserts: list[CheckedInsert] = []
    index = file_index(module, scope)
    # a Django lookup pair (`start__lt=`, `end__gt=`) among the file's keywords; else an overlap needs
    # a comparison in the function's body (`_overlap_model` reads comparisons in call arguments)
    lookups = _lookup_pair(index)
    for function in module.functions:
        calls = index.block_of_kind(function.body, ir.Call)
        compares = index.has_kind(function.body, ir.Compare)
        assigns = _assigns(function, index) if compares else {}  # read only through a comparison's columns
        overlap = next(((call, model) for call in calls if (model := _overlap_model(call, assigns)) is not None),
                       None) if compares or lookups else None
        checked = list(_checked_inserts(module, scope, function, calls, assigns, index))
        # a function that records nothing needs no proof of a lock (most functions: asked last)
        if (overlap is None and not checked) or _trusted(function, calls):
            continue
        if overlap is not None:
            tests.append(OverlapTest(function_key(scope, function), overlap[1], module.path, overlap[0].line,
                                     module.line_text(overlap[0].line)))
        inserts.extend(checked)
    return contribution(OverlapFacts(tuple(tests), tuple(inserts), excluded), _NOTHING)


def _declares_exclusion(module: ir.Module, cls: ir.ClassDef) -> bool:
    text = "\n".join(module.lines[cls.line - 1:cls.end_line])
    return any(name in text for name in _CONSTRAINTS)


def _trusted(function: ir.Function, calls: Iterable[ir.Call]) -> bool:
    """A lock, SERIALIZABLE, or a caught IntegrityError (a constraint the database enforces).
    `calls`: every call of the function's body."""
    for call in calls:
        names = chain(call)
        if LOCK_CHAIN & set(names) or any(_LOCK_WORDS & set(words(n)) for n in names):
            return True
        for node in ir.walk_expr(call):
            if isinstance(node, ir.Const) and isinstance(node.value, str) and \
                    any(w in node.value.upper() for w in ("FOR UPDATE", "SERIALIZABLE", "ADVISORY", "LOCK TABLE")):
                return True
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Try) and any(
                handler.types is not None and any(isinstance(n, (ir.Name, ir.Attr)) and
                                                  (n.id if isinstance(n, ir.Name) else n.attr) in _CONFLICT_ERRORS
                                                  for n in ir.walk_expr(handler.types))
                for handler in stmt.handlers):
            return True
    return False


def _lookup_pair(index: FileIndex) -> bool:
    """Does the file pass both an upper and a lower bound lookup (`__lt`/`__lte`, `__gt`/`__gte`)
    as keywords anywhere? `_django_overlap` needs both in one call."""
    keywords = index.named("keywords")
    return any(k.endswith(("__lt", "__lte")) for k in keywords) and any(k.endswith(("__gt", "__gte")) for k in keywords)


def _assigns(function: ir.Function, index: FileIndex) -> dict[str, ir.Expr]:
    return {stmt.targets[0].id: stmt.value for stmt in index.walk_stmts(function.body)
            if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)
            and stmt.value is not None}


def _overlap_model(call: ir.Call, assigns: Mapping[str, ir.Expr]) -> str | None:
    """The model whose rows this call's arguments test for overlap: one column compared with `<` and
    another (or an expression of other columns) with `>`, in SQLAlchemy comparisons or Django lookups."""
    below: dict[str, set[frozenset[str]]] = {}
    above: dict[str, set[frozenset[str]]] = {}
    for arg in (*call.args, *(kw.value for kw in call.kwargs)):
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Compare) and len(node.ops) == 1:
                op, left, right = node.ops[0], node.left, node.comparators[0]
                side = _columns(left, assigns)
                if not side:
                    side, op = _columns(right, assigns), _FLIP.get(op, op)
                for model, cols in side.items():
                    (below if op in _BELOW else above if op in _ABOVE else {}).setdefault(model, set()).add(cols)
    for model in below.keys() & above.keys():
        if any(b != a for b in below[model] for a in above[model]):
            return model
    return _django_overlap(call)


def _columns(expr: ir.Expr, assigns: Mapping[str, ir.Expr]) -> dict[str, frozenset[str]]:
    """model -> the columns of it an expression reads (`Booking.check_in`; a local computed from
    columns, `appt_end = Appointment.starts_at + duration`)."""
    if isinstance(expr, ir.Name) and expr.id in assigns:
        expr = assigns[expr.id]
    found: dict[str, set[str]] = {}
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id[:1].isupper() \
                and not node.value.id.isupper():
            found.setdefault(node.value.id, set()).add(node.attr)
    return {model: frozenset(cols) for model, cols in found.items()}


def _django_overlap(call: ir.Call) -> str | None:
    """`Booking.objects.filter(room=r, start__lt=end, end__gt=start)`."""
    names = chain(call)
    if "objects" not in names or names.index("objects") == 0:
        return None
    below = {kw.name.rsplit("__", 1)[0] for kw in call.kwargs if kw.name and kw.name.endswith(("__lt", "__lte"))}
    above = {kw.name.rsplit("__", 1)[0] for kw in call.kwargs if kw.name and kw.name.endswith(("__gt", "__gte"))}
    return names[names.index("objects") - 1] if below and above and below != above else None


def _checked_inserts(module: ir.Module, scope: ModuleScope, function: ir.Function, calls: Sequence[ir.Call],
                     assigns: Mapping[str, ir.Expr], index: FileIndex) -> Iterable[CheckedInsert]:
    refusals = _refusing_tests(function, index)
    if not refusals:
        return  # no `if` refuses: no call decides anything
    holders: dict[int, set[str]] | None = None
    for insert in calls:
        model = _inserted_model(insert)
        if model is None:
            continue
        for call in calls:
            if call.line >= insert.line:
                continue
            if holders is None:
                holders = _holders(function)
            if not _decides(call, refusals, holders.get(id(call), _NO_NAMES)):
                continue
            inline = _overlap_model(call, assigns)
            found = callee_name(call, scope, function) if inline is None else None
            if inline == model or found is not None:
                yield CheckedInsert(function.qualname, "" if inline == model else found[0], model,  # type: ignore[index]
                                    module.path, call.line, module.line_text(call.line), insert.line,
                                    module.line_text(insert.line))
        return


def _inserted_model(call: ir.Call) -> str | None:
    """`Booking(...)` (added to a session), `Booking.objects.create(...)`, `Booking.create(...)`."""
    names = chain(call)
    if isinstance(call.func, ir.Name) and call.func.id[:1].isupper() and not call.func.id.isupper() \
            and call.kwargs and not call.func.id.endswith(("Error", "Exception", "Response", "Out", "In", "Schema")):
        return call.func.id
    if len(names) >= 2 and names[-1] in ("create", "acreate") and names[0][:1].isupper():
        return names[0]
    return None


def _refusing_tests(function: ir.Function, index: FileIndex) -> list[ir.If]:
    """`if`s whose body refuses the request: raises, returns or aborts."""
    out = []
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and any(isinstance(s, (ir.Raise, ir.Return)) or isinstance(s, ir.ExprStmt)
                                           and isinstance(s.value, ir.Call)
                                           and (chain(s.value) or [""])[-1] in ("abort", "abort_with")
                                           for s in stmt.body):
            out.append(stmt)
    return out


_NO_NAMES: frozenset[str] = frozenset()


def _holders(function: ir.Function) -> dict[int, set[str]]:
    """id(node) -> the locals bound (`found = Booking.objects.filter(...).exists()`, one name) from a
    value holding the node: laid out once per function, for every call `_decides` is asked about."""
    out: dict[int, set[str]] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                and stmt.value is not None:
            for node in ir.walk_expr(stmt.value):
                out.setdefault(id(node), set()).add(stmt.targets[0].id)
    return out


def _decides(call: ir.Call, refusals: list[ir.If], held: Collection[str]) -> bool:
    """The call's answer is what a refusing `if` tests: in its test, or held by a local it tests
    (`held`: the locals bound from a value holding the call)."""
    return any(any(n is call or isinstance(n, ir.Name) and n.id in held for n in ir.walk_expr(test.test))
               for test in refusals)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, OverlapFacts)]
    excluded = frozenset().union(*(f.excluded for f in facts))
    tests: CalleeIndex[OverlapTest] = CalleeIndex((t.key, t) for f in facts for t in f.tests)
    seen: set[tuple[str, str]] = set()
    for fact in facts:
        for insert in fact.inserts:
            if insert.model in excluded or (insert.path, insert.function) in seen:
                continue
            test = tests.get(insert.check_callee) if insert.check_callee else None
            if insert.check_callee and (test is None or test.model != insert.model):
                continue
            seen.add((insert.path, insert.function))
            yield _finding(insert, test)


def _finding(insert: CheckedInsert, test: OverlapTest | None) -> Finding:
    evidence = [TraceStep(Location(insert.path, insert.check_line), "the overlap is checked", insert.check_code)]
    if test is not None:
        evidence.append(TraceStep(Location(test.path, test.line), f"`{test.key.rsplit('.', 1)[-1]}` queries "
                                  f"`{test.model}` rows overlapping the interval", test.code))
    evidence.append(TraceStep(Location(insert.path, insert.insert_line), f"then a `{insert.model}` row is inserted",
                              insert.insert_code))
    return make_finding(
        "race-condition", Location(insert.path, insert.check_line),
        f"Double booking: `{insert.function.rsplit('.', 1)[-1]}` checks for an overlapping `{insert.model}` "
        "and then inserts one, with no lock",
        "Two requests for the same interval both run the check, both find it free and both insert: the slot is "
        "booked twice. A unique constraint cannot express 'no overlap', so nothing in the database stops it.",
        confidence=Confidence.MEDIUM, evidence=tuple(evidence),
        fix=Fix("Add an exclusion constraint on the resource and the interval (PostgreSQL `EXCLUDE USING gist`, "
                "SQLAlchemy `ExcludeConstraint`, Django `ExclusionConstraint`) and treat the IntegrityError as "
                "'taken'; or lock the resource row (`with_for_update()` / `select_for_update()`) or take "
                "`pg_advisory_xact_lock` before the check.", "", ""),
        rule=RULE.id, key=f"{insert.function}:{insert.model}",
    )


RULE = Rule("py-race-overlap-insert", frozenset({"race-condition"}), "python", no_findings,
            collect=collect, combine=combine)
