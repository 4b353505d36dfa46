"""Charge or money-movement endpoints that a client retry would run twice.

## What it finds
A state-changing request entry point that
- calls a payment provider to move money (`stripe.PaymentIntent.create`,
  `stripe.Charge.create`, `stripe.Refund.create`, `gateway.charge(...)`, a `requests.post`
  to a `/charges` or `/payouts` URL) without an idempotency key, or
- inserts a payment, transfer, withdrawal, payout or refund row
  (`Payment.objects.create(...)`, `db.add(Transfer(...))`) with nothing that makes a
  repeated request land on the same row (no idempotency key, no `get_or_create` /
  `update_or_create`, no client reference);
- or does either in a Celery task that Celery runs again (`autoretry_for=`, `acks_late=True`,
  `self.retry(...)`): the key must then come from the task's own arguments, the same on every
  attempt. A task with none of these runs once and is not reported.

## Why it matters
Mobile clients, load balancers and SDKs retry POSTs on timeouts. If the first attempt
succeeded but its response was lost (a 30 s gateway timeout after the charge went
through), the retry charges the card again: at 100,000 charges a month and a 0.05%
timeout rate that is 50 double charges, each a refund, a support ticket and a chargeback
risk.

## Example
```python
@app.post("/pay")
def pay(body: PayIn):
    return stripe.PaymentIntent.create(amount=body.amount, currency="usd", confirm=True)
```

## Fix
Take an `Idempotency-Key` header from the client, pass it to the provider
(`idempotency_key=key`) and store it with a unique constraint so a retry returns the
first result instead of doing the work again.

Below the handler (a service function, a method of a service or client class, a repository
helper, up to four calls down: analysis/request_paths.py), the money movement is reported where it
happens, when a state-changing request reaches it with no idempotency key read on the way (the
handler taking an `Idempotency-Key` and passing it down, or a service reading one, protects what it
calls), no caller on the way checked the record's state first (`if order.status != "pending": raise`
above the call: a retry after success stops there) and no movement above it already accounts for it. A function only a command, a job or a
test calls is not reported.

## Known problems
The rule cannot see idempotency enforced by a gateway or middleware outside the repo.
A mention of an idempotency key or a deduplicating write (`get_or_create`, `ON CONFLICT`) counts as
handled when it comes no later than the money movement (or is a parameter of the function): one
after the charge protects what follows it (a refund's own key, the second row), not the charge.
Provider SDKs other than Stripe are recognised by name (`gateway`, `psp`, `payment_client`, a
client or module named `payments`), or by a charge verb given an amount and a currency
(`payco.create_charge(amount_cents=..., currency=...)`), and so are repository or
service methods that create a money movement (`repo.reserve_payout(...)`,
`payments.create_payment(...)`: a create verb and a payout/payment/withdrawal/refund/deposit noun;
`transfer` and `charge` only next to a money word, since `request_project_transfer` moves no money).
A key or reference made new at the call (`idempotency_key=str(uuid.uuid4())`, an `Idempotency-Key`
header of `secrets.token_urlsafe()`, a local bound only to such a value: models/vocabulary/fresh_values.yaml)
is new on every retry and counts as no key.
A client reference passed to the call (`reference=`, `external_id=`) counts as deduplication,
unless the project's own client function of that name also takes an idempotency key and the
call leaves it out (matched by function name across the project).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, contribution
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.request_paths import EMPTY, IDEMPOTENCY, STATE, RequestPaths, Route
from servicelens.rules.python._common import is_test_path, words
from servicelens.rules.python._fresh_values import FreshValues, fresh_values, key_tokens
from servicelens.rules.python._project_calls import function_key
from servicelens.rules.python.rel_shared import (
    celery_task, chain, chain_ends, file_mentions, is_entry_point, mentions, render, stmt_calls,
)
from servicelens.taint.scope import ModuleScope

_STRIPE_MOVES = frozenset({"Charge", "PaymentIntent", "Refund", "Transfer", "Payout", "Subscription", "Invoice"})
_PROVIDER_WORDS = ("gateway", "provider", "psp", "payment_client", "payments_client", "payment_provider", "paypal", "adyen",
                   "braintree", "razorpay", "square", "checkout_client")
# the whole name of a client or module that talks to the payment provider (`payments.charge(...)`,
# `self._payments.refund(...)`): plural, not one payment record (`payment.refund()` on a model row)
_PROVIDER_HOLDERS = frozenset({"payments", "payments_api", "payment_api", "acquirer"})
_PROVIDER_VERBS = frozenset({"charge", "capture", "sale", "pay", "payout", "refund", "transfer", "create_charge",
                             "create_payment", "authorize"})
# a path segment that moves money: /charge(s), /payment(s), /payouts, /transfers, /refunds, /capture(s), /pay
_MONEY_URL = re.compile(r"/(charges?|payments?|payouts?|transfers?|refunds?|payment_intents|captures?|pay)(/|$|\?|['\"{])")
_MONEY_MODELS = frozenset({"Payment", "Charge", "Transfer", "Withdrawal", "Payout", "Refund", "Deposit",
                           "Transaction", "PaymentTransaction", "WalletTransaction"})
_SAFE_KWARGS = ("idempot", "reference", "request_id", "nonce", "external_id", "dedup")
_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or not _may_move_money(file_index(module, scope)):
        return
    for function in module.functions:
        if not _entry(function, scope) or _read_only(function, scope):
            continue
        fresh = fresh_values(function, scope)
        hit = _money_call(function, file_index(module, scope), fresh=fresh)
        if hit is not None and not _keyed(function, module, hit[0].line, fresh):
            call, what, provider = hit
            yield _finding(module, function, call, what, provider)


def _entry(function: ir.Function, scope: ModuleScope) -> bool:
    """Where a repeat starts: a request entry point (the client retries) or a task its framework
    runs again after a failure (`redelivered`)."""
    return is_entry_point(function, scope) or bool(redelivered(function))


def redelivered(function: ir.Function) -> str:
    """How a Celery task is run again after an attempt that may already have moved the money, or
    "": `autoretry_for=` retries it on the listed errors, `acks_late=True` redelivers it when the
    worker dies before acknowledging, `self.retry(...)` in its body re-queues it. Each later attempt
    starts from the top, so a transfer made before the failure is made again."""
    task = celery_task(function)
    if task is None:
        return ""
    if task.kwarg("autoretry_for") is not None:
        return "`autoretry_for` runs it again after a failure"
    late = task.kwarg("acks_late")
    if isinstance(late, ir.Const) and late.value is True:
        return "`acks_late=True` redelivers it when the worker stops before acknowledging"
    if any(chain(call) == ["self", "retry"] for stmt in ir.walk_stmts(function.body) for call in stmt_calls(stmt)):
        return "`self.retry(...)` queues it again after a failure"
    return ""


@dataclass(frozen=True, slots=True)
class Movement:
    """A service, repository or client function that moves money once per call, with no
    idempotency key on the way (see `_money_call`)."""
    path: str
    line: int
    what: str
    provider: bool
    name: str
    callee: str  # the moving call as written (`stripe.Subscription.create`, `self.http.post`)
    code: str  # its line


@dataclass(frozen=True, slots=True)
class _KeyFacts:
    offers: frozenset[str]  # project functions that take an idempotency key parameter, by name
    # money movements of entry points that pass a reference but no idempotency key: (callee, finding)
    referenced: tuple[tuple[str, Finding], ...]
    movements: tuple[tuple[str, Movement], ...] = ()  # (function key, what it moves)


_NOTHING = _KeyFacts(frozenset(), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> _KeyFacts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> _KeyFacts:
    """A client reference (`reference=...`) usually dedupes at the provider, and `check` trusts it;
    but when the project's own client takes an idempotency key as well (`def create_payout(...,
    reference, idempotency_key=None)`), a call that leaves it out opts out of the protection the
    client offers, which its other callers use."""
    offers = frozenset(f.name for f in module.functions
                       if any("idempot" in p.name.lower() for p in f.params))
    if is_test_path(module.path):
        return _KeyFacts(offers, ())
    index = file_index(module, scope)
    if not _may_move_money(index):
        return _KeyFacts(offers, ())  # `_money_call` answers None for every function of the file
    referenced = []
    movements: list[tuple[str, Movement]] = []
    anywhere = file_mentions(module, scope, *_KEYED)
    for function in module.functions:
        fresh = fresh_values(function, scope)
        first = _money_call(function, index, fresh=fresh) if anywhere else None
        keyed = anywhere and _keyed(function, module, first[0].line if first is not None else None, fresh)
        if not _entry(function, scope):
            if not keyed:
                hit = first if anywhere else _money_call(function, index, fresh=fresh)  # the same question
                if hit is not None and _moves_itself(hit):
                    movements.append((function_key(scope, function), Movement(
                        module.path, hit[0].line, hit[1], hit[2], function.qualname, render(hit[0].func),
                        module.line_text(hit[0].line))))
            continue
        if _read_only(function, scope) or keyed \
                or (first if anywhere else _money_call(function, index, fresh=fresh)) is not None:
            continue
        hit = _money_call(function, index, ("idempot",), fresh)
        if hit is not None:
            call, what, provider = hit
            referenced.append((ir.last_name(call.func), _finding(module, function, call, what, provider)))
    return _KeyFacts(offers, tuple(referenced), tuple(movements))


_KEYED = ("idempot", "get_or_create", "update_or_create", "on_conflict")


def _keyed(function: ir.Function, module: ir.Module, movement_line: int | None, fresh: FreshValues) -> bool:
    """An idempotency key or a deduplicating write (`get_or_create`, `ON CONFLICT`) no later than the
    money movement, or among the function's parameters. One that comes after the charge protects
    what follows (a refund's own key, the second enrollment row), not the charge itself
    (`movement_line` None: anywhere). A key made fresh at the call (`str(uuid.uuid4())`) is new on
    every retry and protects nothing."""
    if not mentions(function, module, *_KEYED):
        return False
    if any(needle in p.name.lower() for p in function.params for needle in _KEYED):
        return True
    if movement_line is None and any(needle in token for d in function.decorators
                                     for token in key_tokens(d, fresh, "idempot") for needle in _KEYED):
        return True
    return any(_stmt_keyed(stmt, fresh) for stmt in ir.walk_stmts(function.body)
               if movement_line is None or stmt.line <= movement_line)


def _stmt_keyed(stmt: ir.Stmt, fresh: FreshValues) -> bool:
    tops = list(ir.stmt_exprs(stmt))
    if isinstance(stmt, ir.Try):
        tops += [handler.types for handler in stmt.handlers if handler.types is not None]
    return any(needle in token for top in tops for token in key_tokens(top, fresh, "idempot") for needle in _KEYED)


def _moves_itself(hit: tuple[ir.Call, str, bool]) -> bool:
    """Below the handler only the movement itself counts (a provider call, a money row inserted),
    not a call named like one (`ledger.record_deposit(...)`): that callee is judged where it moves."""
    _call, what, provider = hit
    return provider or what.startswith("INSERT ") or ".objects.create" in what


def combine(per_file: Mapping[str, object], settings: Settings, paths: RequestPaths = EMPTY) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, _KeyFacts)]
    offers = frozenset().union(*(f.offers for f in facts))
    for fact in facts:
        for callee, finding in fact.referenced:
            if callee in offers:
                yield finding
    yield from _through_layers(facts, paths)


# a key read on the way, or a state checked first (a retry after success finds it changed)
_RETRY_SAFE = frozenset({IDEMPOTENCY, STATE})


def _through_layers(facts: list[_KeyFacts], paths: RequestPaths) -> Iterator[Finding]:
    """A function below the handler (a service, repository or client) that moves money with no
    idempotency key, which a state-changing request reaches with no key read on the way: the retry
    the client makes repeats the movement. Reported once, where the money moves; a function every
    request reaches with a key in hand (the handler read it and passed it down) is not."""
    moving = {key for fact in facts for key, _ in fact.movements}
    for fact in facts:
        for key, movement in fact.movements:
            # the first movement on the way is the one to key: a service calling its own client's
            # `charge` is reported at the service's call, not again inside the client
            routes = [r for r in paths.reaching(key) if not r.guards & _RETRY_SAFE and r.entry.changes_state
                      and moving.isdisjoint(r.layers[:-1])]
            route = min(routes, key=lambda r: (len(r.layers), r.entry.path, r.entry.line), default=None)
            if route is not None:
                yield _layered_finding(route, movement)


def _handed_down(movement: Movement) -> str:
    key = 'idempotency_key = request.headers["Idempotency-Key"]  # required from the client, passed down\n'
    if movement.what.startswith("POST "):
        return key + f'{movement.callee}(..., headers={{"Idempotency-Key": idempotency_key}})\n'
    return key + f"{movement.callee}(..., idempotency_key=idempotency_key)\n"


def _layered_finding(route: Route, movement: Movement) -> Finding:
    names = [key.rsplit(".", 1)[-1] for key in route.layers[:-1]]
    path = " -> ".join(f"`{name}`" for name in (route.entry.name, *names, movement.name))
    what = f"`{movement.what}`" if movement.provider else f"a {movement.what.replace('INSERT ', '')} row"
    entry = route.entry
    return make_finding(
        "missing-idempotency", Location(movement.path, movement.line),
        f"`{movement.name}` moves money with no idempotency key, once per request of `{entry.name}`",
        f"Each request runs {path}, which {'calls ' + what if movement.provider else 'records ' + what} "
        "once per attempt, and nothing on the way takes an idempotency key or looks for an earlier attempt. "
        "A client or proxy that retries after a timeout (the first attempt succeeded, its response was lost) "
        "moves the money again: a double charge, a refund and a support ticket.",
        severity=Severity.HIGH if movement.provider else Severity.MEDIUM, confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(entry.path, entry.line), f"request entry point `{entry.name}`"),
                  TraceStep(Location(entry.path, route.call_line), f"calls {path}"),
                  TraceStep(Location(movement.path, movement.line), "money moves here, once per attempt",
                            movement.code)),
        fix=Fix("Require an Idempotency-Key header, hand it down to the call that moves the money (a provider takes "
                "it as `idempotency_key=` or an `Idempotency-Key` header) and store it with a unique constraint so "
                "a retry returns the first result.", _handed_down(movement), "python"),
        rule=RULE.id, key=f"{movement.path}:{movement.name}",
    )


def _read_only(function: ir.Function, scope: ModuleScope) -> bool:
    handler = scope.handlers.get(function.qualname)
    methods = set(handler.methods) if handler else set()
    return bool(methods) and methods <= _READ_ONLY or function.name in ("get", "list", "retrieve", "head")


_STATE_WORDS = ("can_", "is_", "status", "state", "paid", "captured", "charged", "refunded", "already", "exists")


def _state_guarded(function: ir.Function, index: FileIndex) -> set[int]:
    """Lines inside an `if` that checks the object's state (`if payment.can_capture():`): a retry
    after success finds the state changed and does nothing, so the call is idempotent by state."""
    lines: set[int] = set()
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and any(
                any(w in node.attr.lower() for w in _STATE_WORDS) for node in index.under(stmt.test, ir.Attr)):
            lines.update(range(stmt.line, stmt.end_line + 1))
    return lines


def _may_move_money(index: FileIndex) -> bool:
    """Can `_money_call` find anything in this file? Each of its answers is a call whose chain ends in
    a provider's verb, `post`, or a name `_creates_money_row` accepts; or a money model's row created
    (`Payment.objects.create`, `stripe.Charge.create`: a bare name `stripe` or a money model's) or
    built and then added or saved (`tx = Payment(...)`: a call whose chain ends in a money model's
    name). Most files hold none of these: asked once per file, by name."""
    ends = chain_ends(index)
    if not _PROVIDER_VERBS.isdisjoint(ends) or "post" in ends \
            or any(_creates_money_row(end) or _money_model(end) for end in ends):
        return True
    return not ends.isdisjoint(("create", "acreate")) \
        and any(name == "stripe" or _money_model(name) for name in index.named("names"))


def _money_call(function: ir.Function, index: FileIndex, safe_kwargs: tuple[str, ...] = _SAFE_KWARGS,
                fresh: FreshValues | None = None) -> tuple[ir.Call, str, bool] | None:
    """(call, description, is_provider_call) of the first retry-unsafe money movement. Asked of
    nearly every function of a file: its statements and their calls come from the file's index
    (`stmt_of_kind` is `stmt_calls`, in the same order)."""
    guarded = _state_guarded(function, index)
    rows: dict[str, str] = {}  # local -> the money model its row was built from (`tx = FuelTransaction(...)`)
    for stmt in index.walk_stmts(function.body):
        if stmt.line in guarded:
            continue
        built = _built_row(stmt, safe_kwargs, fresh)
        for call in index.stmt_of_kind(stmt, ir.Call):
            if any(k.name and any(s in k.name.lower() for s in safe_kwargs)
                   and not (fresh is not None and fresh.is_fresh(k.value)) for k in call.kwargs):
                continue  # a key or reference deduplicates, unless it is made new for every attempt
            names = chain(call)
            dotted = ".".join(names)
            if names[:1] == ["stripe"] and names[-1] == "create" and _STRIPE_MOVES & set(names):
                return call, dotted, True
            if names and names[-1] in _PROVIDER_VERBS and len(names) > 1 \
                    and any(w in n.lower() for n in names[:-1] for w in _PROVIDER_WORDS) \
                    or names and names[-1] in _PROVIDER_VERBS and any(n.lstrip("_").lower() in _PROVIDER_HOLDERS
                                                                      for n in names[:-1]):
                return call, dotted, True
            if names and names[-1] in _PROVIDER_VERBS and _priced(call):
                return call, dotted, True
            if names[-1:] == ["post"] and _http_client(names[:-1]) and call.args:
                url = render(call.args[0]).lower() + " ".join(str(n.value) for n in ir.walk_expr(call.args[0])
                                                             if isinstance(n, ir.Const))
                if _MONEY_URL.search(url):
                    return call, f"POST {render(call.args[0])}", True
            if len(names) >= 3 and names[1] == "objects" and names[-1] in ("create", "acreate") \
                    and _money_model(names[0]):
                return call, f"{names[0]}.objects.create", False
            if names[-1:] == ["add"] and call.args and isinstance(call.args[0], ir.Call) \
                    and _money_model((chain(call.args[0]) or [""])[-1]):
                return call, f"INSERT {chain(call.args[0])[-1]}", False
            # a row built first and then added (`session.add(tx)`, `repo.add(tx)`) or saved (`tx.save()`)
            if names[-1:] == ["add"] and len(names) > 1 and len(call.args) == 1 and isinstance(call.args[0], ir.Name) \
                    and call.args[0].id in rows:
                return call, f"INSERT {rows[call.args[0].id]}", False
            if len(names) == 2 and names[1] in ("save", "asave") and names[0] in rows and not call.args:
                return call, f"INSERT {rows[names[0]]}", False
            if len(names) > 1 and _creates_money_row(names[-1]):
                return call, dotted, False
        if built is not None:
            rows[built[0]] = built[1]
    return None


def _priced(call: ir.Call) -> bool:
    """The call names an amount and its currency (`client.create_charge(amount_cents=..., currency=...)`):
    a provider's money movement whatever its client is called; a model row's own `refund()` takes
    neither."""
    names = [k.name.lower() for k in call.kwargs if k.name]
    return any("amount" in name for name in names) and any("currency" in name for name in names)


_MONEY_WORDS_LAST = frozenset(name for name in _MONEY_MODELS if name.isalpha() and name[1:].islower())


@lru_cache(maxsize=2048)
def _money_model(name: str) -> bool:
    """A model of money moved: one of `_MONEY_MODELS`, or a name ending in one (`FuelTransaction`,
    `CardPayment`, `WalletDeposit`)."""
    if name in _MONEY_MODELS:
        return True
    words = re.findall(r"[A-Z][a-z]+", name)
    return len(words) >= 2 and "".join(words) == name and words[-1] in _MONEY_WORDS_LAST


def _built_row(stmt: ir.Stmt, safe_kwargs: tuple[str, ...], fresh: FreshValues | None) -> tuple[str, str] | None:
    """(local, model) of `tx = FuelTransaction(...)`: a money row built into a local, with no key or
    client reference among its fields (which would dedupe it)."""
    if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) \
            or not isinstance(stmt.value, ir.Call):
        return None
    model = (chain(stmt.value.func) or [""])[-1]
    if not _money_model(model) or any(k.name and any(s in k.name.lower() for s in safe_kwargs)
                                      and not (fresh is not None and fresh.is_fresh(k.value))
                                      for k in stmt.value.kwargs):
        return None
    return stmt.targets[0].id, model


_CLIENT_WORDS = frozenset({"requests", "httpx", "client", "session", "http", "api"})


def _http_client(receiver: list[str]) -> bool:
    """`requests`, `httpx`, or a client kept on an object or a module name (`self.http`, `self._client`,
    `payments.session`, `http_client`, `psp_api`): the POST goes out over HTTP."""
    return any(name.lstrip("_").lower() in _CLIENT_WORDS or _CLIENT_WORDS & set(words(name)) for name in receiver)


_CREATE_VERBS = frozenset({"create", "reserve", "record", "insert", "add", "make", "initiate", "request", "schedule",
                           "submit", "issue", "place", "open", "start", "new"})
_MONEY_NOUNS = frozenset({"payout", "payment", "withdrawal", "refund", "deposit"})
# money only next to a money word: `create_fund_transfer`, not `request_project_transfer`
_AMBIGUOUS_NOUNS = frozenset({"transfer", "charge"})
_MONEY_WORDS = frozenset({"fund", "money", "balance", "wallet", "bank", "card", "cash", "credit", "wire"})
_ROW_WORDS = tuple(sorted(_MONEY_NOUNS | _MONEY_WORDS))


@lru_cache(maxsize=2048)
def _creates_money_row(method: str) -> bool:
    """A repository or service method named for creating a money movement: `repo.reserve_payout(...)`,
    `payments.create_payment(...)`, `ledger.initiate_transfer(...)`."""
    low = method.lower()
    if not any(word in low for word in _ROW_WORDS):
        return False  # every answer below needs a money word (a noun is a word of the name)
    parts = [w.lower() for w in re.findall(r"[A-Za-z][a-z]*|[a-z]+", method)]
    nouns = {p.rstrip("s") for p in parts[1:]}
    return len(parts) >= 2 and parts[0] in _CREATE_VERBS and bool(
        nouns & _MONEY_NOUNS or nouns & _AMBIGUOUS_NOUNS and nouns & _MONEY_WORDS)


def _finding(module: ir.Module, function: ir.Function, call: ir.Call, what: str, provider: bool) -> Finding:
    again = redelivered(function)
    if again:
        return _task_finding(module, function, call, what, again)
    if provider:
        title = f"`{function.name}` moves money with `{what}` and no idempotency key"
        why = ("A client or proxy that retries this request after a timeout charges again: the first attempt "
               "succeeded but its response was lost. At 100,000 charges a month and a 0.05% timeout rate that is "
               "50 double charges, each a refund, a support ticket and a chargeback risk.")
        code = ("idempotency_key = request.headers[\"Idempotency-Key\"]  # required from the client\n"
                f"result = {render(call.func)}(\n    ...,\n    idempotency_key=idempotency_key,\n)\n")
        fix = Fix("Require an Idempotency-Key from the client, pass it to the provider and store it with a unique "
                  "constraint so a retry returns the first result.", code, "python")
    else:
        model = what.split(".")[0].replace("INSERT ", "")
        title = f"`{function.name}` inserts a {model} on every request: a retried POST records it twice"
        why = (f"Nothing ties a repeated request to the {model} it already created (no idempotency key, no "
               f"unique client reference, no get_or_create). A retry after a lost response records a second "
               f"{model}: money is moved or booked twice and reconciliation breaks.")
        fix = Fix("Accept an Idempotency-Key, store it in a column with a unique constraint and look it up "
                  "before creating.",
                  f"key = request.headers[\"Idempotency-Key\"]\n{model.lower()}, created = {model}.objects.get_or_create(\n"
                  "    idempotency_key=key,  # unique=True on the model\n    defaults={...},\n)\n"
                  f"if not created:\n    return Response(serialize({model.lower()}))  # the first result, again\n",
                  "python")
    return make_finding(
        "missing-idempotency", Location(module.path, call.line, call.end_line or call.line), title, why,
        severity=Severity.HIGH if provider else Severity.MEDIUM,
        confidence=Confidence.HIGH if provider else Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, function.line), "request entry point", module.line_text(function.line)),
                  TraceStep(Location(module.path, call.line), "money moves here, once per attempt",
                            module.line_text(call.line))),
        fix=fix, rule=RULE.id, key=f"{function.qualname}:{what}",
    )


def _task_finding(module: ir.Module, function: ir.Function, call: ir.Call, what: str, again: str) -> Finding:
    """A task the framework runs again moves money with nothing that makes a repeat land on the
    first movement: the key must come from the task's own arguments, the same on every attempt."""
    params = [p.name for p in function.params if p.name not in ("self", "cls")]
    stable = " + \"-\" + ".join(f"str({name})" for name in params[:2]) or f'"{function.name}"'
    code = (f"idempotency_key = \"{function.name}-\" + {stable}  # the same on every attempt of this task\n"
            f"result = {render(call.func)}(\n    ...,\n    idempotency_key=idempotency_key,\n)\n")
    return make_finding(
        "missing-idempotency", Location(module.path, call.line, call.end_line or call.line),
        f"task `{function.name}` moves money with `{what}` and no idempotency key, and is run again",
        f"Celery runs this task more than once: {again}. An attempt that fails after `{what}` went "
        "through (or whose worker dies before acknowledging) is repeated from the top, and the money moves "
        "a second time.",
        severity=Severity.HIGH, confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(module.path, function.line), "task run again after a failure",
                            module.line_text(function.line)),
                  TraceStep(Location(module.path, call.line), "money moves here, once per attempt",
                            module.line_text(call.line))),
        fix=Fix("Derive an idempotency key from the task's own arguments (never a fresh uuid) and pass it, "
                "so every attempt asks the provider for the same movement.", code, "python"),
        rule=RULE.id, key=f"{function.qualname}:{what}",
    )


RULE = Rule("py-missing-idempotency", frozenset({"missing-idempotency"}), "python", check,
            collect=collect, combine=combine, paths=True)
