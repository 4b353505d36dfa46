"""Check-then-insert on fields that no unique constraint protects.

## What it finds
`if not User.objects.filter(email=email).exists(): User.objects.create(email=email)`,
`Coupon.objects.get_or_create(code=code)`, or a SQLAlchemy "query first, then add" on a
model whose definition, found in the project, has no unique constraint (unique=True,
primary key, unique_together, UniqueConstraint, Index(unique=True)) covering the fields looked up.

A constraint protects the lookup when the rows two concurrent callers insert would collide on it:
its fields are the lookup's, or fields whose values the lookup fixes (a `defaults` entry or a
`create(...)` keyword computed only from the lookup's values and constants:
`get_or_create(board=b, value=v, defaults={"label": str(v)})` under a unique (board, label); a
field with a literal default the call leaves unset, `generation = IntegerField(default=1)`). A
lookup keyed on what the function has just created (`issue = tracker.create_issue(...)`, then
`get_or_create(url=<built from issue>)`) has no concurrent writer. A manager overriding
`get_or_create` to look up by a unique field (`super().get_or_create(digest=<hash>, **kwargs)`)
protects its model's calls.

A lookup keyed on the signed-in caller (`get_or_create(user=request.user, key="jira-oauth")`) holds one
row per caller, which only that caller's own double submit can insert twice; one keyed only on literals,
constants and settings (`get_or_create(name=getattr(settings, "DEFAULT_LICENCE_NAME", "none"))`,
`get_or_create(kind=Integration.Kind.SLACK_BOT)`) makes a default row
that exists after its first use. Both are reported with low confidence.

## Why it matters
Two concurrent requests both run the check, both see no row and both insert. Two sign-ups
with the same e-mail create two accounts; every later `.get(email=...)` then raises
MultipleObjectsReturned (a 500) and the person can no longer log in. Django documents
that `get_or_create` is only race-safe with a unique constraint on the lookup fields.

## Example
```python
if not Subscriber.objects.filter(email=email).exists():
    Subscriber.objects.create(email=email)
```

## Fix
Add the constraint (`email = models.EmailField(unique=True)` or
`UniqueConstraint(fields=["email"], name=...)` plus a migration) and treat IntegrityError
as "already exists".

## Known problems
Silent when the model's definition is not in the reviewed tree (no guessing), when the
function handles IntegrityError, and when any declaration of a same-named model is
unique on the fields. Constraints declared on a base model the class inherits from (an
abstract model's `Meta.constraints`, matched by class name) protect the subclass too, even
when the subclass redeclares a `Meta` that does not inherit the base one (Django would drop them).
Constraints added only in raw SQL migrations are not seen. A check with range lookups
(`starts__lt=ends`, `ends__gt=starts`) asks whether an interval is free, which no unique constraint
can answer: py-race-overlap-insert judges it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.python import _created_rows as created_rows
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python.rel_shared import chain, is_script_path, mentions, render
from servicelens.taint.scope import ModuleScope

_FIELD_CALL_HINTS = ("Field", "ForeignKey", "Column", "mapped_column", "relationship")


@dataclass(frozen=True, slots=True)
class _Site:
    model: str
    fields: tuple[str, ...]
    line: int
    end_line: int
    kind: str  # "check-then-create" | "get_or_create"
    code: str
    lookup: str
    determined: tuple[str, ...] = ()  # fields of the inserted row beyond the lookup that the lookup fixes
    given: tuple[str, ...] = ()  # every field the inserted row is given (lookup, defaults, create keywords)
    # keyed on the signed-in caller (only their own double submit races) or on constants and settings
    # only (a default row, created once)
    few_racers: bool = False


@dataclass(frozen=True, slots=True)
class _Facts:
    models: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # (model, unique field sets)
    sites: tuple[_Site, ...]
    bases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (class, the classes it inherits from)
    constant_defaults: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (model, fields with a constant default)
    managers: tuple[tuple[str, str], ...] = ()  # (model, class of its `objects` manager)
    # (manager class, field groups its own get_or_create looks up through Django's): an override
    overrides: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> _Facts:
    nested = {c.qualname: c for c in module.classes}
    models = tuple((cls.name, _unique_sets(cls) + _unique_sets(nested.get(f"{cls.qualname}.Meta")))
                   for cls in module.classes if _is_model(cls))
    bases = tuple((cls.name, tuple(name for b in cls.bases if (name := ir.last_name(b))))
                  for cls in module.classes if cls.qualname == cls.name and cls.bases)
    sites: list[_Site] = []
    if not is_test_path(module.path) and not is_script_path(module.path):
        for function in module.functions:
            found = list(_sites(function, module, file_index(module, scope)))
            if found and not mentions(function, module, "integrityerror", "select_for_update", "lock"):
                sites.extend(found)
    defaults = tuple((cls.name, _constant_defaults(cls)) for cls in module.classes if _is_model(cls))
    managers = tuple((cls.name, manager) for cls in module.classes if _is_model(cls)
                     for manager in _manager_classes(cls))
    return _Facts(models, tuple(sites), bases, defaults, managers, tuple(_overrides(module)))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    uniques: dict[str, list[set[str]]] = {}
    parents: dict[str, set[str]] = {}
    for facts in per_file.values():
        if isinstance(facts, _Facts):
            for model, sets in facts.models:
                uniques.setdefault(model, []).extend(set(s) for s in sets)
            for cls, names in facts.bases:
                parents.setdefault(cls, set()).update(names)
    uniques = {model: _with_inherited(model, uniques, parents) for model in uniques}
    facts_all = [f for f in per_file.values() if isinstance(f, _Facts)]
    constant = {model: set(fields) for f in facts_all for model, fields in f.constant_defaults}
    overrides = {manager: groups for f in facts_all for manager, groups in f.overrides}
    managers = {model: manager for f in facts_all for model, manager in f.managers}
    for path in sorted(per_file):
        facts = per_file[path]
        if not isinstance(facts, _Facts):
            continue
        for site in facts.sites:
            known = uniques.get(site.model)
            if known is None:
                continue
            # the row two concurrent callers insert: the lookup, what the lookup fixes, and the
            # constant defaults of fields the call leaves unset
            unset = set() if _ANY_FIELD[0] in site.given else constant.get(site.model, set()) - set(site.given)
            row = set(site.fields) | set(site.determined) | unset
            if any(s <= row for s in known):
                continue
            override = overrides.get(managers.get(site.model, ""))
            if site.kind == "get_or_create" and override is not None and any(
                    s <= set(group) for group in override for s in known):
                continue  # the manager's own get_or_create looks up by a unique field (a hash of the data)
            yield _finding(path, site)


def _constant_defaults(cls: ir.ClassDef) -> tuple[str, ...]:
    """Fields declared with a literal default (`counter = IntegerField(default=1)`): every row
    inserted without a value for them holds the same one. A callable default (`uuid4`, `now`) differs."""
    out = []
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and isinstance(
                stmt.value.kwarg("default"), ir.Const):
            out.extend(_field(t.id) for t in stmt.targets if isinstance(t, ir.Name))
    return tuple(out)


def _manager_classes(cls: ir.ClassDef) -> Iterable[str]:
    """The class of the model's `objects` manager (`objects = BuildConfigManager()`)."""
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and any(
                isinstance(t, ir.Name) and t.id == "objects" for t in stmt.targets):
            name = ir.last_name(stmt.value.func)
            if name:
                yield name


def _overrides(module: ir.Module) -> Iterable[tuple[str, tuple[tuple[str, ...], ...]]]:
    """Manager classes defining their own `get_or_create`, with the fields each of its calls of
    Django's (`super().get_or_create(data_hash=..., **kwargs)`) names explicitly."""
    for function in module.functions:
        if function.name != "get_or_create" or function.class_name is None:
            continue
        groups = []
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                            and node.func.attr == "get_or_create" and isinstance(node.func.value, ir.Call) \
                            and ir.dotted_name(node.func.value.func) == "super":
                        groups.append(tuple(sorted(_field(k.name) for k in node.kwargs
                                                   if k.name and k.name != "defaults")))
        yield function.class_name, tuple(groups)


def _with_inherited(model: str, uniques: Mapping[str, list[set[str]]], parents: Mapping[str, set[str]]
                    ) -> list[set[str]]:
    """A model's unique field sets and those its (abstract) base models declare: Django copies a
    base's `Meta.constraints` into every concrete subclass."""
    found: list[set[str]] = []
    seen: set[str] = set()
    pending = [model]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        found.extend(uniques.get(name, ()))
        pending.extend(parents.get(name, ()))
    return found


def _is_model(cls: ir.ClassDef) -> bool:
    return any(isinstance(s, ir.Assign) and isinstance(s.value, ir.Call)
               and any(h in (chain(s.value) or [""])[-1] for h in _FIELD_CALL_HINTS) for s in cls.body) \
        or any((chain(b) or [""])[-1] in ("Model", "Base", "DeclarativeBase") for b in cls.bases)


def _unique_sets(cls: ir.ClassDef | None) -> tuple[tuple[str, ...], ...]:
    """Field groups the database keeps unique, from the class body or its `Meta`."""
    if cls is None:
        return ()
    out: list[tuple[str, ...]] = [("id",), ("pk",)]
    for stmt in ir.walk_stmts(cls.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        names = [t.id for t in stmt.targets if isinstance(t, ir.Name)]
        value = stmt.value
        if isinstance(value, ir.Call) and names and _is_unique_field(value):
            out.append((_field(names[0]),))
        if "unique_together" in names:
            out.extend(tuple(_field(f) for f in group) for group in _string_groups(value))
        for node in ir.walk_expr(value):
            if isinstance(node, ir.Call) and (chain(node) or [""])[-1] in ("UniqueConstraint", "Index"):
                if (chain(node) or [""])[-1] == "Index" and not _true(node.kwarg("unique")):
                    continue
                fields = node.kwarg("fields")
                group = _strings(fields) if fields is not None else tuple(
                    a.value if isinstance(a, ir.Const) else getattr(a, "attr", getattr(a, "id", ""))
                    for a in node.args if isinstance(a, (ir.Const, ir.Attr, ir.Name)))
                if group:
                    out.append(tuple(_field(str(g)) for g in group))
    return tuple(out)


def _is_unique_field(call: ir.Call) -> bool:
    last = (chain(call) or [""])[-1]
    return last == "OneToOneField" or _true(call.kwarg("unique")) or _true(call.kwarg("primary_key"))


def _true(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is True


def _strings(expr: ir.Expr | None) -> tuple[str, ...]:
    if isinstance(expr, ir.Seq):
        return tuple(e.value for e in expr.elts if isinstance(e, ir.Const) and isinstance(e.value, str))
    return ()


def _string_groups(expr: ir.Expr | None) -> list[tuple[str, ...]]:
    if isinstance(expr, ir.Seq) and expr.elts and all(isinstance(e, ir.Seq) for e in expr.elts):
        return [_strings(e) for e in expr.elts]
    return [_strings(expr)] if _strings(expr) else []


_RANGE_LOOKUPS = frozenset({"lt", "lte", "gt", "gte", "range", "overlap"})


def _field(name: str) -> str:
    base = name.split("__", 1)[0]
    return base[:-3] if base.endswith("_id") else base


def _lookup(call: ir.Call) -> dict[str, ir.Expr]:
    return {_field(k.name): k.value for k in call.kwargs if k.name and k.name != "defaults"}


def _defaults(call: ir.Call) -> dict[str, ir.Expr]:
    given = call.kwarg("defaults")
    if not isinstance(given, ir.DictExpr):
        return {}
    return {_field(k.value): v for k, v in zip(given.keys, given.values)
            if isinstance(k, ir.Const) and isinstance(k.value, str)}


def _sites(function: ir.Function, module: ir.Module, index: FileIndex) -> Iterable[_Site]:
    checks: dict[str, tuple[tuple[str, ...], ir.Stmt, dict[str, ir.Expr]]] = {}
    fresh: set[str] | None = None  # locals holding what this function created, made on first use
    for stmt in index.walk_stmts(function.body):
        for call in index.stmt_of_kind(stmt, ir.Call):
            names = chain(call)
            if len(names) >= 3 and names[1] == "objects" and names[-1] in ("get_or_create", "aget_or_create"):
                lookup = _lookup(call)
                fields = tuple(sorted(lookup))
                if not fields:
                    continue
                fresh = created_rows.fresh_names(function.body) if fresh is None else fresh
                if created_rows.keyed_on_fresh(lookup, fresh):
                    continue  # keyed on what this call just created: no concurrent caller holds that key
                defaults = _defaults(call)
                given = set(lookup) | set(defaults) if _closed(call) else None
                yield _Site(names[0], fields, stmt.line, stmt.end_line, "get_or_create",
                            module.line_text(stmt.line), render(call),
                            tuple(sorted(created_rows.determined_fields(defaults, lookup))),
                            tuple(sorted(given)) if given is not None else _ANY_FIELD,
                            any(_signed_in_caller(v) for v in lookup.values()) or all(
                                _configured(v) for v in lookup.values()))
            elif isinstance(stmt, ir.If) and len(names) >= 4 and names[1] == "objects" and names[2] == "filter" \
                    and names[-1] in ("exists", "count", "first"):
                inner = next((c for c in ir.walk_expr(call) if isinstance(c, ir.Call) and chain(c)[-1:] == ["filter"]), None)
                fields = tuple(sorted(_field(k.name) for k in inner.kwargs if k.name)) if inner else ()
                ranged = inner is not None and any(k.name and k.name.rsplit("__", 1)[-1] in _RANGE_LOOKUPS
                                                   for k in inner.kwargs)
                if fields and not ranged:  # a range no unique constraint can express: py-race-overlap-insert
                    checks[names[0]] = (fields, stmt, _lookup(inner))  # type: ignore[arg-type]
            elif names[-2:-1] == ["objects"] and names[-1] in ("create", "acreate") and names[0] in checks:
                fields, check_stmt, lookup = checks.pop(names[0])
                created = {_field(k.name): k.value for k in call.kwargs if k.name}
                given = tuple(sorted(created)) if all(k.name for k in call.kwargs) else _ANY_FIELD
                yield _Site(names[0], fields, check_stmt.line, check_stmt.line, "check-then-create",
                            module.line_text(check_stmt.line), module.line_text(stmt.line),
                            tuple(sorted(created_rows.determined_fields(
                                {k: v for k, v in created.items() if k not in fields}, lookup))), given,
                            any(_signed_in_caller(v) for v in lookup.values()))


# how handlers name the signed-in caller: `request.user` (also `self.request.user`), flask-login's
# `current_user`, graphene's `info.context.user`; `.id` / `.pk` of it is the same row
_CALLER = (("request", "user"), ("context", "user"), ("current_user",))


def _signed_in_caller(value: ir.Expr) -> bool:
    """A lookup value that is the caller making the request (`user=request.user`): a row per caller,
    which only that caller's own concurrent requests (a double submit) can insert twice."""
    names = tuple(chain(value)) if isinstance(value, (ir.Attr, ir.Name)) else ()
    if names[-1:] in (("id",), ("pk",)):
        names = names[:-1]
    return any(names[-len(tail):] == tail for tail in _CALLER)


def _configured(value: ir.Expr) -> bool:
    """A literal, a constant or enum member (`Integration.Type.SLACK_BOT`) or a setting
    (`name=getattr(settings, "DEFAULT_LICENCE", "none")`, `settings.X`): a lookup made only of these
    names one default row, which exists after its first use, so only the first requests after an
    install can race to create it."""
    if isinstance(value, ir.Const):
        return True
    names = chain(value) if isinstance(value, (ir.Attr, ir.Call, ir.Name)) else []
    if isinstance(value, (ir.Attr, ir.Name)) and names and names[-1].isupper():
        return True  # a constant or an enum member: `SLACK_BOT`, `Integration.Type.SLACK_BOT`
    if names[:1] == ["settings"] and isinstance(value, ir.Attr):
        return True
    return isinstance(value, ir.Call) and names == ["getattr"] and bool(value.args) \
        and chain(value.args[0]) == ["settings"] and all(isinstance(a, ir.Const) for a in value.args[1:])


def _closed(call: ir.Call) -> bool:
    """Every field the call may set is named in it: no `**fields`, and `defaults`, if any, a
    literal dict with literal keys."""
    if any(k.name is None for k in call.kwargs):
        return False
    given = call.kwarg("defaults")
    return given is None or isinstance(given, ir.DictExpr) and all(
        isinstance(k, ir.Const) and isinstance(k.value, str) for k in given.keys)


# `given` of a call passing `**fields` or a `defaults` that is not a literal dict: any field may be set
_ANY_FIELD = ("*",)


def _finding(path: str, site: _Site) -> Finding:
    fields = ", ".join(site.fields)
    constraint = (f"models.UniqueConstraint(fields={list(site.fields)!r}, "
                  f"name=\"uniq_{site.model.lower()}_{'_'.join(site.fields)}\")")
    code = (f"class {site.model}(models.Model):\n    ...\n    class Meta:\n        constraints = [{constraint}]\n\n"
            "# and where the row is created:\ntry:\n    with transaction.atomic():\n"
            f"        obj = {site.model}.objects.create(...)\nexcept IntegrityError:\n"
            f"    obj = {site.model}.objects.get(...)  # someone else created it first\n")
    title = (f"`get_or_create` on {site.model}({fields}) without a unique constraint" if site.kind == "get_or_create"
             else f"Check-then-insert on {site.model}({fields}) without a unique constraint")
    return make_finding(
        "race-condition", Location(path, site.line, site.end_line), title,
        f"The model {site.model} has no unique constraint on ({fields}). Two concurrent requests both find no "
        f"row and both insert: the table ends with two {site.model} rows for one ({fields}), and every later "
        "`.get()` on it raises MultipleObjectsReturned (a 500).",
        confidence=Confidence.LOW if site.few_racers else Confidence.MEDIUM,
        fix=Fix(f"Declare a unique constraint on ({fields}) with a migration and handle IntegrityError; "
                "the database then rejects the second insert.", code, "python"),
        rule=RULE.id, key=f"{site.model}:{fields}:{site.kind}",
    )


RULE = Rule("py-race-check-then-insert", frozenset({"race-condition"}), "python", no_findings,
            collect=collect, combine=combine)
