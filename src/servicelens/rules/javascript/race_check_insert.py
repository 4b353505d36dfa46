"""Race condition: "is this taken?" asked in one SQL statement, the row inserted in another, with
nothing in the database refusing the second of two such inserts.

## What it finds
A function that asks whether a row exists (`SELECT count(*) FROM appointments WHERE
practitioner_id = $1 AND starts_at = $2`, `SELECT 1 FROM ... WHERE ...`, Prisma
`prisma.booking.findFirst({ where: { roomId, day } })` or `.count(...)`), itself or through a
project function that runs that query (a repository's `countActiveAt`, an injected member, an
imported function), refuses the request on the answer (an `if` that throws or returns), and then
inserts a row into the same table (`INSERT INTO appointments ...`, `prisma.booking.create(...)`,
itself or through a project function), when the project's schema declares that table with no
primary key, unique constraint, unique index or exclusion constraint within the columns the check
pins to one value: a `CREATE TABLE` in a `.sql` schema or migration (analysis/sql_schema.py),
or a Prisma `model` (`@id`, `@unique`, `@@unique`). An answer read against a quota (`count >=
MAX_KEYS`) is not a presence check. Reported at the check.

## Why it matters
Two requests for the same slot both count zero, both pass and both insert: the clinician is
booked twice, the seat sold twice, the username taken by two accounts. It happens under load or
with a slow step between the check and the insert, never in tests.

## Example
```js
const { rows } = await pool.query(
  'SELECT count(*) FROM bookings WHERE room_id = $1 AND day = $2', [roomId, day]);
if (Number(rows[0].count) > 0) throw new Conflict('room taken');
await pool.query('INSERT INTO bookings (room_id, day, guest) VALUES ($1, $2, $3)', [roomId, day, guest]);
```
Use instead:
```js
// CREATE UNIQUE INDEX bookings_room_day ON bookings (room_id, day);
try {
  await pool.query('INSERT INTO bookings (room_id, day, guest) VALUES ($1, $2, $3)', [roomId, day, guest]);
} catch (err) {
  if (err.code === '23505') throw new Conflict('room taken');
  throw err;
}
```

## Fix
Let the database refuse the duplicate: a unique index over the checked columns (an exclusion
constraint for overlapping ranges), with the violation (`23505`, `ER_DUP_ENTRY`) answered as
"taken"; or serialise the check and the insert in one transaction that locks the parent row
(`SELECT ... FOR UPDATE`) or takes an advisory lock first.

## Known problems
Raw SQL (the statement's text, a literal or template at the call) and Prisma delegates only, one
call deep; TypeORM, Sequelize and Mongoose checks and the constraints their models declare are
not read. Silent when no `.sql` or `.prisma` file in the reviewed tree (or the usual places above
it) declares the table. A
transaction, lock or `FOR UPDATE` anywhere in the function, or in the function it calls, is
trusted; a lock taken by the function's caller is not seen. A partial unique index (`WHERE ...`)
is trusted as if it held for every row. A check with a range (`created_at > ...`, Prisma `gte`) asks
about a window or an overlap and is not judged: double bookings of overlapping intervals are missed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, contribution, iter_calls, no_findings
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._lock_guards import holds_guard
from servicelens.rules.javascript import _prisma_schema as prisma_schema
from servicelens.analysis import sql_schema as schema
from servicelens.rules.javascript.excessive_data_exposure import model_name
from servicelens.rules.javascript._node import knowledge, literal_text
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_SQL_CALLS = frozenset({"query", "execute"})
# a Prisma delegate's presence checks (`findUnique` takes only unique filters) and inserts
_PRISMA_CHECKS = frozenset({"count", "findFirst"})
_PRISMA_INSERTS = frozenset({"create", "createMany"})
_SELECT = re.compile(r"(?is)^\s*select\s+(.+?)\s+from\s+\"?(?:\w+\"?\.)?\"?(\w+)\"?(?:\s+(?:as\s+)?(\w+))?\s+where\s+(.*)$")
_INSERT = re.compile(r"(?is)^\s*insert\s+into\s+\"?(?:\w+\"?\.)?\"?(\w+)")
# `practitioner_id = $1`, `a.starts_at = ?`, `email = :email`, `status = 'open'`: the columns the check pins
_EQUALS = re.compile(r"(?i)(?<![<>!])\b(?:\w+\.)?\"?(\w+)\"?\s*=\s*(?:\$\d+|\?|:\w+|'[^']*'|\d+|true|false)")
# a filter with a range (`created_at > now() - interval '1 hour'`, `starts_at < $3`, BETWEEN) asks about
# a window or an overlap, which no unique key answers either way: left to what reads intervals
_RANGE = re.compile(r"(?i)(?<![<>!])(?:<=?|>=?)(?![>=])|\bbetween\b")
_RANGE_KEYS = frozenset({"gt", "gte", "lt", "lte"})
_LOCKS = re.compile(r"(?i)\bfor\s+(?:no\s+key\s+)?update\b|\bfor\s+share\b|\bpg_(?:try_)?advisory(?:_xact)?_lock\b|"
                    r"\bbegin\b|\block\s+table\b|\bserializable\b|\bget_lock\s*\(")


@dataclass(frozen=True, slots=True)
class Check:
    """A function's own "is it there?" query: the table (SQL) or model (Prisma) and the columns its
    filter pins to one value each."""
    table: str
    columns: tuple[str, ...]
    store: str = "sql"  # sql | prisma: which schema declares `table`


@dataclass(frozen=True, slots=True)
class Step:
    """A call in the function: its own SQL (`check` or `inserts`), or a project function (`callee`)."""
    line: int
    callee: str = ""
    check: Check | None = None
    inserts: str = ""  # "sql:<table>" or "prisma:<model>"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A call whose answer refuses the request, and the calls after the refusal."""
    path: str
    qualname: str
    asked: Step
    after: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class SqlFunction:
    """What a project function's own statements do: the checks it runs, the tables it inserts
    into, and whether it locks or opens a transaction."""
    key: str
    checks: tuple[Check, ...]
    inserts: tuple[str, ...]
    locks: bool


@dataclass(frozen=True, slots=True)
class Facts:
    functions: tuple[SqlFunction, ...]
    candidates: tuple[Candidate, ...]
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    if is_dev_path(module.path):
        return None
    guards = knowledge().transaction_calls | knowledge().lock_options
    functions: list[SqlFunction] = []
    candidates: list[Candidate] = []
    locking = {f.qualname for f in module.functions if holds_guard(f, guards, _locking_literal)}
    for function in module.functions:
        key = f"{module.module_name}.{function.qualname}"
        own = [_own_sql(call) for call in iter_calls(function.body)]
        checks = tuple(step.check for step in own if step.check is not None)
        inserts = tuple(dict.fromkeys(step.inserts for step in own if step.inserts))
        # a callback handed to the transaction its enclosing function opens runs in it
        locks = any(function.qualname == q or function.qualname.startswith(q + ".<locals>.") for q in locking)
        if checks or inserts:
            functions.append(SqlFunction(key, checks, inserts, locks))
        if not locks:
            candidates.extend(_candidates(module, scope, function))
    return contribution(Facts(tuple(functions), tuple(candidates), tuple(calls.members(module, scope)),
                              tuple(calls.aliases(module))), Facts((), ()))


def combine(per_file: Mapping[str, object], settings: Settings,
            documents: Mapping[str, str] | None = None) -> Iterable[Finding]:
    keys = {("sql", table): found for table, found in schema.table_keys(documents or {}).items()} | {
        ("prisma", model): found for model, found in _prisma_keys(documents or {}).items()}
    if not keys:
        return
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, Facts)]
    held = {member: owner for f in facts for member, owner in f.members}
    names = {alias: key for f in facts for alias, key in f.aliases}
    functions = {f.key: f for found in facts for f in found.functions}

    def target(step: Step) -> SqlFunction | None:
        if not step.callee:
            return None
        return functions.get(calls.dealiased(calls.resolved(step.callee, held), names))

    for found in facts:
        for candidate in found.candidates:
            asked = target(candidate.asked)
            checks = (candidate.asked.check,) if candidate.asked.check else asked.checks if asked else ()
            if asked is not None and asked.locks:
                continue
            for check in checks:
                table = keys.get((check.store, check.table))
                if table is None or schema.protects(table, check.columns):
                    continue
                wanted = f"{check.store}:{check.table}"
                insert = next((step for step in candidate.after if step.inserts == wanted or (
                    (callee := target(step)) is not None and not callee.locks and wanted in callee.inserts)),
                    None)
                if insert is None:
                    continue
                yield _finding(candidate, check, insert)
                break


def _finding(candidate: Candidate, check: Check, insert: Step) -> Finding:
    pinned = ", ".join(f"`{c}`" for c in check.columns)
    at = Location(candidate.path, candidate.asked.line, candidate.asked.line)
    return make_finding(
        "race-condition", at,
        f"`{check.table}` is checked for a row with the same {pinned}, then inserted into: two requests can "
        "both pass the check",
        f"Nothing in the schema makes {pinned} unique in `{check.table}`, and no lock or transaction joins the "
        "check to the insert: two concurrent requests both find no row and both insert one.",
        severity=Severity.HIGH, confidence=Confidence.MEDIUM,
        evidence=(TraceStep(at, f"asks whether `{check.table}` holds a row with these {pinned}"),
                  TraceStep(Location(candidate.path, insert.line, insert.line), f"then inserts into `{check.table}`")),
        fix=Fix("Let the database refuse the duplicate: a unique index over the checked columns (an exclusion "
                "constraint for overlapping ranges), answering its violation as a conflict; or lock the parent row "
                "in one transaction with the check and the insert.",
                f"-- migration\nCREATE UNIQUE INDEX {check.table}_{'_'.join(check.columns)}_key\n"
                f"  ON {check.table} ({', '.join(check.columns)});\n"
                "// code: insert, and answer 23505 (unique_violation) as 409\n"
                "try { /* the insert */ } catch (err) { if (err.code === '23505') throw conflict(); throw err; }",
                "javascript"),
        rule=RULE.id, key=f"{candidate.qualname}|{check.table}",
    )


def _candidates(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Iterator[Candidate]:
    """Each awaited call whose result a later `if` reads to refuse the request, with the calls after
    that `if` (the function's own SQL, or project functions)."""
    stmts = list(ir.walk_stmts(function.body))
    for index, stmt in enumerate(stmts):
        if not isinstance(stmt, ir.Assign) or stmt.value is None or stmt.op is not None:
            continue
        value = _answered_call(stmt.value)
        if value is None:
            continue
        asked = _step(module, scope, function, value)
        if asked is None or (asked.check is None and not asked.callee):
            continue
        bound = ir.assigned_names([stmt])
        refusal = None
        for later in stmts[index + 1:]:
            if isinstance(later, ir.Assign) and later.value is not None and _reads(later.value, bound):
                bound |= ir.assigned_names([later])  # `const taken = Number(rows[0].count)`
            if isinstance(later, ir.If) and _reads(later.test, bound) and _refuses(later):
                refusal = later if _presence_test(later.test, bound) else None
                break
        if refusal is None:
            continue
        after = tuple(step for later in stmts if later.line > refusal.end_line
                      for call in _stmt_calls(later)
                      if (step := _step(module, scope, function, call)) is not None)
        if after:
            yield Candidate(module.path, function.qualname, asked, after)


def _answered_call(value: ir.Expr) -> ir.Call | None:
    """The call an assignment takes its value from: `await q(...)`, or a field of its answer (`const
    { rows } = await pool.query(...)`, lowered as a read of `.rows`)."""
    while isinstance(value, (ir.Attr, ir.Subscript)):
        value = value.value
    if isinstance(value, ir.Await):
        value = value.value
    return value if isinstance(value, ir.Call) else None


def _step(module: ir.Module, scope: ModuleScope, function: ir.Function, call: ir.Call) -> Step | None:
    own = _own_sql(call)
    if own.check is not None or own.inserts:
        return own
    name = calls.callee(module, scope, function, call)
    return Step(call.line, callee=name) if name else None


def _own_sql(call: ir.Call) -> Step:
    """A `query`/`execute` call's statement: a check (SELECT ... FROM t WHERE col = $1) or an insert;
    or a Prisma client's (`prisma.booking.findFirst({ where: { roomId, day } })`, `.create(...)`)."""
    if isinstance(call.func, ir.Attr) and call.func.attr in _PRISMA_CHECKS | _PRISMA_INSERTS \
            and isinstance(call.func.value, ir.Attr):
        return _prisma_step(call)
    if not (isinstance(call.func, ir.Attr) and call.func.attr in _SQL_CALLS and call.args):
        return Step(call.line)
    text = literal_text(call.args[0], "$0")
    inserted = _INSERT.match(text)
    if inserted:
        return Step(call.line, inserts=f"sql:{inserted.group(1).lower()}")
    selected = _SELECT.match(text)
    if selected is None or re.search(r"(?i)\b(?:join|group\s+by|union)\b", selected.group(4)):
        return Step(call.line)
    alias = (selected.group(3) or "").lower()
    where = re.split(r"(?i)\b(?:order\s+by|limit|offset|for\s+update)\b", selected.group(4))[0]
    columns = tuple(dict.fromkeys(m.group(1).lower() for m in _EQUALS.finditer(where)
                                  if m.group(1).lower() not in ("", alias)))
    if not columns or re.search(r"(?i)\bor\b", where) or _RANGE.search(where):
        return Step(call.line)
    return Step(call.line, check=Check(selected.group(2).lower(), columns))


def _prisma_step(call: ir.Call) -> Step:
    """`x.booking.count/findFirst({ where: { roomId, day } })`: a check of the fields the filter pins to
    one value (none combined with OR/NOT); `x.booking.create/createMany(...)`: an insert. Whether `x` is
    a Prisma client is settled by the schema: a model no `.prisma` file declares is never judged."""
    assert isinstance(call.func, ir.Attr)
    model = model_name(call.func.value)
    if not model:
        return Step(call.line)
    if call.func.attr in _PRISMA_INSERTS:
        return Step(call.line, inserts=f"prisma:{model}")
    where = ir.option(call.args[0], "where") if call.args and isinstance(call.args[0], ir.DictExpr) else None
    if not isinstance(where, ir.DictExpr):
        return Step(call.line)
    named = [(k.value, v) for k, v in zip(where.keys, where.values) if isinstance(k, ir.Const)]
    if len(named) != len(where.keys) or any(key in ("OR", "NOT") for key, _ in named) \
            or any(_ranged(value) for _, value in named):
        return Step(call.line)
    columns = tuple(str(key) for key, value in named if key != "AND" and _one_value(value))
    return Step(call.line, check=Check(model, columns, "prisma")) if columns else Step(call.line)


def _ranged(value: ir.Expr) -> bool:
    """`{ gte: since }`: a window or an interval, not one value."""
    return isinstance(value, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value in _RANGE_KEYS
                                                  for k in value.keys)


def _one_value(value: ir.Expr) -> bool:
    """A field compared with one value: the value itself, or Prisma's `{ equals: v }`."""
    if isinstance(value, ir.DictExpr):
        return len(value.keys) == 1 and isinstance(value.keys[0], ir.Const) and value.keys[0].value == "equals"
    return not isinstance(value, (ir.Seq, ir.Lambda))


def _prisma_keys(documents: Mapping[str, str]) -> dict[str, schema.TableKeys]:
    """Each Prisma model's unique field sets, by the name its client is spelled with (`prisma.booking`)."""
    found: dict[str, set[frozenset[str]]] = {}
    for rel, text in sorted(documents.items()):
        if rel.endswith(".prisma"):
            for model, fields in prisma_schema.unique_keys(text):
                found.setdefault(model_name(ir.Name(0, 0, model)), set()).add(frozenset(f.lower() for f in fields))
    return {model: schema.TableKeys(tuple(sorted(keys, key=sorted))) for model, keys in found.items()}


def _locking_literal(node: ir.Expr) -> bool:
    """A literal (plain or template) naming a row, share or advisory lock."""
    text = literal_text(node) if isinstance(node, (ir.Const, ir.FormattedString)) else ""
    return bool(text and _LOCKS.search(text))


def _stmt_calls(stmt: ir.Stmt) -> Iterator[ir.Call]:
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if isinstance(node, ir.Call):
                yield node


def _reads(expr: ir.Expr, names: set[str]) -> bool:
    return any(isinstance(node, ir.Name) and node.id in names for node in ir.walk_expr(expr))


def _presence_test(test: ir.Expr, bound: set[str]) -> bool:
    """The answer is read as "is there one?" (`if (taken)`, `count > 0`, `rows.length`, `!== null`), not
    against a quota (`count >= MAX_KEYS`, `count >= plan.seats`): a limit a second request may overrun
    by one is not a second copy of the same row."""
    for node in ir.walk_expr(test):
        if not isinstance(node, ir.Compare):
            continue
        for side in (node.left, *node.comparators):
            if isinstance(side, ir.Const) and isinstance(side.value, (int, float)) and not isinstance(side.value, bool) \
                    and side.value not in (0, 1):
                return False
            if isinstance(side, (ir.Name, ir.Attr)) and not _reads(side, bound) \
                    and ir.dotted_name(side) not in ("undefined", "null", "None"):
                return False
    return True


def _refuses(stmt: ir.If) -> bool:
    return any(isinstance(s, (ir.Raise, ir.Return)) for s in stmt.body)


RULE = Rule("js-race-check-then-insert", frozenset({"race-condition"}), "javascript", no_findings,
            collect=collect, combine=combine, documents=frozenset({"sql", "prisma"}))
