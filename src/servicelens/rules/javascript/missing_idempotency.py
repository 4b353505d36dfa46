"""Missing idempotency: money moved or recorded by a request that a client retry would repeat.

## What it finds
- a payment provider call that moves money (Stripe's `paymentIntents.create`, `charges.create`,
  `refunds.create`, `transfers.create`, `payouts.create`: `money_calls` in
  models/node/rules.yaml) without an idempotency key in its request options
  (`{ idempotencyKey }`);
- a payment, charge, refund, transfer, payout, withdrawal or deposit row created
  (`prisma.payment.create(...)`, `Payment.create(...)`, `knex('payouts').insert(...)`,
  `paymentRepo.save(...)`: `money_records`) by a function that nothing in makes a repeated
  request land on the same row: no idempotency key read or stored, no upsert, `findOrCreate`
  or `onConflict`;
- a payment provider's verified webhook event (`stripe.webhooks.constructEvent(...)`:
  `webhook_verifiers`) handled by calling a project function that adds to a stored amount
  (`{ increment: n }`, `$inc`, `.increment(...)`, `SET balance = balance + $1`; directly or two
  calls deep) while the handler never reads the event's id nor mentions an idempotency key:
  providers deliver each event at least once, so a redelivery credits again.

## Why it matters
Mobile apps, SDKs and load balancers retry a POST whose response timed out. When the first
attempt went through, the retry charges the card again or records the refund twice: each is a
support ticket, a manual reversal and sometimes a chargeback.

## Example
```js
router.post('/payments', async (req, res) => {
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'eur' });
  res.status(201).json(intent);
});
```
Use instead:
```js
router.post('/payments', async (req, res) => {
  const key = req.get('Idempotency-Key');
  if (!key) return res.status(400).json({ error: 'Idempotency-Key required' });
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'eur' },
                                                    { idempotencyKey: key });
  res.status(201).json(intent);
});
```

## Fix
Take an `Idempotency-Key` header from the client, pass it to the provider and store it with a
unique constraint beside the record, so a retry returns the first result.

## Known problems
Idempotency enforced outside the function (a middleware, a gateway, a unique index the code
does not mention) is not seen; any mention of an idempotency key in the function counts.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
import re
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import NamedCall, knowledge, literal_text, location, named_calls, option
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

# what a retried money movement costs, said once for both shapes of the finding
_WHY = ("A client retrying after a timeout runs this again: the card is charged twice or the money movement "
        "recorded twice.")
_FIX = ("const key = req.get('Idempotency-Key');\n"
        "if (!key) return res.status(400).json({ error: 'Idempotency-Key required' });\n"
        "const intent = await stripe.paymentIntents.create(params, { idempotencyKey: key });")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge()
    deduplicated = {f.qualname for f in module.functions if _deduplicates(f, known.dedup_calls)}
    for named in named_calls(module, scope):
        function = named.function
        if function is None or function.qualname in deduplicated or _enclosing_deduplicates(function, deduplicated):
            continue
        found = _provider_call(named, known.money_calls) if _provider(named, known.money_calls) else \
            _money_record(named, known.money_records, known.row_writes)
        if not found:
            continue
        yield make_finding(
            "missing-idempotency", location(module, named.call), found,
            _WHY,
            severity=Severity.HIGH, confidence=Confidence.MEDIUM,
            fix=Fix("Take an Idempotency-Key from the client, pass it to the provider and store it with a unique "
                    "constraint so a retry returns the first result.", _FIX, "javascript"),
            rule=RULE.id, key=f"{function.qualname}|{module.line_text(named.call.line)}",
        )


def _provider(named: NamedCall, calls: dict[str, int]) -> bool:
    dotted = ir.dotted_name(named.call.func) or named.name
    return ".".join(dotted.split(".")[-2:]) in calls


def _provider_call(named: NamedCall, calls: dict[str, int]) -> str:
    dotted = ir.dotted_name(named.call.func) or named.name
    tail = ".".join(dotted.split(".")[-2:])
    index = calls.get(tail)
    if index is None:
        return ""
    options = named.call.args[index] if len(named.call.args) > index else None
    if isinstance(options, ir.DictExpr) and any(k is None for k in options.keys):
        return ""  # `{...requestOptions}`: the key may be in it
    if options is not None and not isinstance(options, ir.DictExpr):
        return ""  # options built elsewhere
    if option(options, "idempotencyKey") is not None or option(options, "idempotency_key") is not None:
        return ""
    return f"`{dotted}` moves money without an idempotency key"


def _money_record(named: NamedCall, records: frozenset[str], writes: frozenset[str]) -> str:
    """`prisma.payment.create(...)`, `Refund.create(...)`, `knex('payouts').insert(...)`,
    `paymentRepository.save(...)`: a create of a row that records a money movement."""
    func = named.call.func
    if not isinstance(func, ir.Attr) or func.attr not in writes or func.attr not in _CREATES:
        return ""
    target = func.value
    name = ir.dotted_name(target) or ""
    if isinstance(target, ir.Call) and target.args and isinstance(target.args[0], ir.Const):
        name = str(target.args[0].value)  # a query builder on a table
    last = name.rpartition(".")[2]
    if not {_singular(w.lower()) for w in words(last)} & records:
        return ""
    return f"A `{last}` record is created with nothing that makes a retried request land on the same row"


_CREATES = frozenset({"create", "insert", "insertOne", "save", "build"})


def _deduplicates(function: ir.Function, dedup_calls: frozenset[str]) -> bool:
    """The function reads or stores an idempotency key, or writes with an upsert / conflict clause."""
    names = {p.name for p in function.params}
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and ir.last_name(node.func) in dedup_calls:
                    return True
                names.add(node.id if isinstance(node, ir.Name) else node.attr if isinstance(node, ir.Attr)
                          else node.value if isinstance(node, ir.Const) and isinstance(node.value, str) else "")
    return any("idempot" in name.lower() for name in names)


def _enclosing_deduplicates(function: ir.Function, deduplicated: set[str]) -> bool:
    return any(function.qualname.startswith(q + ".<locals>.") for q in deduplicated)


# ---------------------------------------------------------------- across functions
@dataclass(frozen=True, slots=True)
class Charger:
    """Function `key` asks a payment provider over HTTP to create a money movement (`POST
    /charges`), with no idempotency key anywhere in it."""
    key: str
    path: str
    line: int
    what: str


@dataclass(frozen=True, slots=True)
class Caller:
    """Function `key` (which never mentions an idempotency key) calls project function `callee`."""
    key: str
    callee: str
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Facts:
    chargers: tuple[Charger, ...]
    callers: tuple[Caller, ...]
    members: tuple[tuple[str, str], ...]
    aliases: tuple[tuple[str, str], ...]
    creditors: tuple[str, ...] = ()  # functions that add to a stored amount (`{ increment: n }`, `$inc`)
    # calls of project functions made while handling a verified provider event that never reads the
    # event's id: a redelivered event runs them again
    redelivered: tuple[Caller, ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    """Functions that POST a money movement to a provider without a key, and every call a
    function that never mentions one makes of a project function."""
    if is_dev_path(module.path):
        return None
    known = knowledge()
    deduplicated = {f.qualname for f in module.functions if _deduplicates(f, known.dedup_calls)}
    chargers: list[Charger] = []
    callers: list[Caller] = []
    for function in module.functions:
        if function.qualname in deduplicated or _enclosing_deduplicates(function, deduplicated):
            continue
        key = f"{module.module_name}.{function.qualname}"
        for call in _outbound(function):
            what = _money_post(call, known.money_records)
            if what:
                chargers.append(Charger(key, module.path, call.line, what))
        callers.extend(_project_calls(module, scope, function))
    # an upsert keyed by the account does not tell one delivery of an event from the next: only the
    # handler reading the event's id does (`_unrecorded_event`)
    creditors = tuple(f"{module.module_name}.{f.qualname}" for f in module.functions if _credits(f))
    redelivered = tuple(caller for f in module.functions if _unrecorded_event(f, known.webhook_verifiers)
                        for caller in (replace(c, code=c.code.strip()) for c in _project_calls(module, scope, f)))
    if not chargers and not callers and not creditors and not redelivered:
        return None
    return contribution(Facts(tuple(chargers), tuple(callers), tuple(calls.members(module, scope)),
                              tuple(calls.aliases(module)), creditors, redelivered), Facts((), (), (), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """A call of a function that charges at a provider with no key: the retry-unsafe operation is
    the caller's (it decides to charge, and it has no key to hand on)."""
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, Facts)]
    members = {member: held for f in facts for member, held in f.members}
    aliases = {alias: key for f in facts for alias, key in f.aliases}
    chargers = {c.key: c for f in facts for c in f.chargers}
    # a service crediting through its repository credits too (two calls deep); one that mentions an
    # idempotency key makes no `callers` entry and is not followed
    creditors = calls.closure({key for f in facts for key in f.creditors},
                              tuple((c.key, c.callee) for f in facts for c in f.callers), members, aliases)
    for f in facts:
        for caller in f.redelivered:
            if calls.dealiased(calls.resolved(caller.callee, members), aliases) not in creditors:
                continue
            yield make_finding(
                "missing-idempotency", Location(caller.path, caller.line, caller.line),
                "A provider's webhook event credits a balance with nothing recording that the event was handled",
                "Payment providers deliver each webhook event at least once and redeliver it when the answer is slow "
                "or lost: every redelivery adds the amount again.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                evidence=(TraceStep(Location(caller.path, caller.line, caller.line),
                                    "called for a verified event whose id is never read", caller.code),),
                fix=Fix("Record the event id with a unique constraint in the same transaction as the credit, and "
                        "skip an event already recorded.",
                        "const seen = await prisma.processedEvent.createMany({ data: [{ id: event.id }],\n"
                        "  skipDuplicates: true });\nif (seen.count === 0) return res.json({ received: true });",
                        "javascript"),
                rule=RULE.id, key=f"{caller.key}|redelivered|{caller.code}",
            )
    for f in facts:
        for caller in f.callers:
            target = chargers.get(calls.dealiased(calls.resolved(caller.callee, members), aliases))
            if target is None or caller.key in chargers:
                continue
            yield make_finding(
                "missing-idempotency", Location(caller.path, caller.line, caller.line),
                f"The payment provider is asked to {target.what} with no idempotency key",
                _WHY,
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                evidence=(TraceStep(Location(caller.path, caller.line, caller.line), "calls", caller.code),
                          TraceStep(Location(target.path, target.line, target.line),
                                    f"which sends `{target.what}` without an Idempotency-Key header")),
                fix=Fix("Take an Idempotency-Key from the client (or derive one from the order), hand it to this "
                        "call and send it as the provider's Idempotency-Key header.", _FIX, "javascript"),
                rule=RULE.id, key=f"{caller.key}|{caller.code}",
            )


def _credits(function: ir.Function) -> bool:
    """Adds to a stored amount: Prisma `{ increment: n }`, Mongo `$inc`, Knex/Sequelize
    `.increment(...)`, SQL `SET balance = balance + $1`."""
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value in ("increment", "$inc")
                                                         for k in node.keys):
                    return True
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "increment":
                    return True
                if isinstance(node, ir.Const) and isinstance(node.value, str) and _SQL_ADD.search(node.value):
                    return True
    return False


_SQL_ADD = re.compile(r"(?i)\bset\s+(\w+)\s*=\s*\1\s*\+")


def _unrecorded_event(function: ir.Function, verifiers: frozenset[str]) -> bool:
    """The function verifies a provider's webhook event (`stripe.webhooks.constructEvent(...)`) and
    never reads the event's id (`event.id`) nor mentions an idempotency key: nothing can tell a
    redelivery from the first delivery."""
    event = ""
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(value, ir.Call) and ir.last_name(value.func) in verifiers:
                event = next((t.id for t in stmt.targets if isinstance(t, ir.Name)), "")
    if not event:
        return False
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Attr) and node.attr == "id" and ir.dotted_name(node.value) == event:
                    return False
                name = node.id if isinstance(node, ir.Name) else node.attr if isinstance(node, ir.Attr) else ""
                if "idempot" in name.lower():
                    return False
    return True


def _project_calls(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Iterator[Caller]:
    """Every call in `function` that lands in a project function, with its line as written."""
    key = f"{module.module_name}.{function.qualname}"
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call):
                    callee = calls.callee(module, scope, function, node)
                    if callee:
                        yield Caller(key, callee, module.path, node.line, module.line_text(node.line))


def _outbound(function: ir.Function) -> Iterator[ir.Call]:
    """Calls whose promise the function waits for or hands back (an HTTP request is; a route
    registration `router.post('/charges', handler)` never is)."""
    for stmt in ir.walk_stmts(function.body):
        roots = [stmt.value] if isinstance(stmt, ir.Return) and stmt.value is not None else []
        roots += [n.value for root in ir.stmt_exprs(stmt) for n in ir.walk_expr(root) if isinstance(n, ir.Await)]
        for root in roots:
            if isinstance(root, ir.Call):
                yield root


def _money_post(call: ir.Call, records: frozenset[str]) -> str:
    """`client.post('/v1/charges', body)`, `fetch(`${base}/payments`, { method: 'POST' })`: a POST
    whose URL's last fixed segment names a money movement (`money_records`)."""
    name = ir.last_name(call.func) or ""
    if not call.args:
        return ""
    if name == "post":
        method = "POST"
    else:
        options = call.args[1] if len(call.args) > 1 else None
        verb = option(options, "method") if isinstance(options, ir.DictExpr) else None
        method = str(verb.value).upper() if isinstance(verb, ir.Const) and isinstance(verb.value, str) else ""
    if method != "POST":
        return ""
    url = literal_text(call.args[0], "\0").split("?")[0]
    fixed = [part for part in url.split("/") if part and "\0" not in part and ":" not in part]
    if not fixed or not {_singular(w.lower()) for w in words(fixed[-1])} & records:
        return ""
    return f"POST /{fixed[-1]}"


RULE = Rule("js-missing-idempotency", frozenset({"missing-idempotency"}), "javascript", check,
            collect=collect, combine=combine)


def _singular(word: str) -> str:
    """`payouts` -> `payout`; `address` stays (rstrip("s") made it `addre`)."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
