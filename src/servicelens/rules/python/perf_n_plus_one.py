"""N+1 queries: a lazy relation loaded once per row of an earlier query.

## What it finds
- A loop (or comprehension) over a Django queryset or SQLAlchemy/SQLModel query whose body,
  or a helper it passes the row to (in any file), touches a relation the query did not load:
  `order.customer.email` (ForeignKey), `order.lines.all()` / `.count()` (reverse FK, M2M),
  `user.addresses` (SQLAlchemy `relationship()` with the default lazy loading).
- DRF list views and `Serializer(qs, many=True)` calls whose serializer (nested
  serializers, `source="customer.name"`, `SerializerMethodField` methods) reads relations
  that the view's `queryset`/`get_queryset()` does not `select_related`/`prefetch_related`.
  A view that overrides `list()` with a queryset of its own (`qs = Model.objects.filter(owner=
  request.user)`, then `self.get_serializer(qs, many=True)`) is judged at that queryset; its
  `queryset`/`get_queryset()` then serves only the single-object actions (retrieve, update,
  destroy) and is not reported. A `list()` that reads the view's queryset
  (`self.get_queryset()`, `self.filter_queryset(...)`, `super().list(...)`) leaves it the list's.
- A queryset method of the project's own (`Payout.objects.awaiting_review()[:100]`, defined in any
  module on a custom QuerySet or Manager and returning `self.filter(...)`-style rows,
  frameworks/queryset_methods.py) starts or continues a query like Django's `filter`; what it
  loads (`return self.prefetch_related("tags__tag")`) counts as loaded.

What counts as loaded: `select_related`/`prefetch_related` lookups, also a `Prefetch("lines",
queryset=Line.objects.select_related("product"))` object (written in place or bound to a local
first), whose queryset loads `lines__product` too; what an enclosing loop's rows prefetch, even
when those rows come from a queryset the rule does not follow (`def export(queryset):
queryset = queryset.prefetch_related("tasks")`); in a DRF view, the class `queryset` a
`get_queryset()` narrows through `super().get_queryset()`, and in a serializer's method
(`get_<field>(self, obj)`, `to_representation`) looping over the object's related rows, what
every query known to be serialised by that class loads below the relation. A serializer's own
eager-loading lists count too (`SELECT_RELATED = ["team"]`, `PREFETCH_RELATED = [...]`, strings or
`Prefetch` objects, declared on it or a base) when a method of it or of a base splats them into a
loading call (`queryset.select_related(*cls.SELECT_RELATED)`) and the view, or a mixin it derives
from, calls that method on its serializer class (`self.serializer_class.setup_eager_loading(qs)`,
`self.get_serializer_class()...`, or the class by name; perf_eager_lists.py). When
`get_serializer_class()` returns another class for `self.action == "list"`, only the relations
both it and `serializer_class` read are reported for the list.

## Why it matters
Each row costs one more round trip: a page of 50 orders issues 51 queries, 1,000 rows issue
1,001. At 1 ms per query on a good day that is a second per request, and it grows with the
data, not with the traffic, so it shows up only in production.

## Example
```python
for order in Order.objects.filter(status="paid"):
    send_receipt(order.customer.email)
```

## Fix
```python
for order in Order.objects.filter(status="paid").select_related("customer"):
    send_receipt(order.customer.email)
```
`select_related` for ForeignKey/OneToOne, `prefetch_related` for reverse and many-to-many
relations (`Prefetch(..., queryset=...)` when the loop filters them); SQLAlchemy
`.options(selectinload(Order.lines))` or `joinedload` for many-to-one.

## Known problems
In a method of a custom manager or queryset, `self.filter(...)`/`self.all()` are rows of the model
that attaches the class in the same module (`objects = Manager()`, `QuerySet.as_manager()`,
`Manager.from_queryset(QuerySet)()`); a manager whose model is declared in another module is not
followed (false negative). A loop over what a repository or service function returns (`for t in repo.recent_transfers(...)`,
with `repo = LedgerRepository()` or a module alias) is judged by the query that function returns,
in whichever file it lives; a helper reached through an injected object of unknown type is not
followed. A queryset built by reassignment (`qs = qs.filter(...)`, `qs = qs.select_related(...)`) is
followed as one chain, so relations loaded in a later reassignment count. Relations are recognised
from model definitions in the reviewed tree; without them only
related-manager calls (`x.items.all()`) are reported. Helpers are followed one call deep, and so
is a method of the row's own model called per row (`source.to_json()`, `Book.json(book)`): what it
reads from `self` is read once per row. SQLAlchemy's `await row.awaitable_attrs.rel` is a lazy load
like `row.rel`. A loop over what an injected repository returns (`self.trips.active(...)` with
`self.trips` declared a `TripRepository`, or a parameter `svc: TripService`) is followed by the
declared type.
Loading done by a custom manager or a DataLoader is not seen. A loop over a queryset filtered
to one primary key (`filter(pk=x)`, also through `qs = qs.select_related(...)`) is one row and
is not reported (`_loop_bounds.bounded_iterable`); `pk__in=ids` still is. A loop over one object's
related rows (`document.notes.all()`) is reported: unlike query-in-loop, a lazy load per child is
worth a `prefetch_related` whatever the parent, and the parent may have thousands of children;
except the foreign key back to that parent (`for note in document.notes.all(): note.document`),
which Django fills from the manager's owner without a query.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python.perf_eager_lists import EagerIndex
from servicelens.rules.python.perf_models import ModelFact
from servicelens.rules.python.perf_nplus_facts import (HELPER_PREFIX, ROW_METHOD_PREFIX, VIEW_SERIALIZER_PREFIX, Access,
                                                      LoopFact, NPlusOneFacts, SerializerFact, ViewFact, collect_facts)
from servicelens.rules.python.perf_orm import Query
from servicelens.rules.python.perf_relations import Relations, relation_kind
from servicelens.taint.scope import ModuleScope
from servicelens.rules.python.perf_common import reviewable

_STILL_QUERIES = frozenset({"filter", "exclude", "order_by", "annotate", "values", "values_list", "aggregate", "get"})


_NOTHING = NPlusOneFacts((), (), (), (), (), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> NPlusOneFacts | None:
    return contribution(collect_facts(module, scope), _NOTHING) if reviewable(module) else None


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, NPlusOneFacts)]
    relations = Relations.build(m for f in facts for m in f.models)
    params = {name: (path, accessed) for f in facts for name, path, accessed in f.params}
    serializers = {s.qualname: s for f in facts for s in f.serializers}
    views = {v.qualname: v for f in facts for v in f.views}
    seen: set[tuple[str, int, str]] = set()
    helpers = {name: query for f in facts for name, query in f.helpers}
    passthroughs: dict[str, list[tuple[str, int]]] = {}
    for f in facts:
        for name, position in f.passthroughs:
            passthroughs.setdefault(name.rsplit(".", 1)[-1], []).append((name, position))
    eager = EagerIndex.build((f.eager for f in facts if f.eager is not None), {v.qualname: v.bases for v in views.values()})
    served = _serialized_loads(facts, serializers, views, eager)
    for fact in facts:
        for loop in fact.loops:
            loop = _with_serializer_prefetch(loop, served)
            if loop.query.model.startswith(HELPER_PREFIX):
                name = loop.query.model[len(HELPER_PREFIX):]
                helped = helpers.get(name)
                position = _passthrough_position(passthroughs, name, len(loop.arguments))
                if helped is None and position < len(loop.arguments):
                    helped = loop.arguments[position]  # the helper hands back the rows of the query it is given
                if helped is None:
                    continue  # not a function returning a query: nothing known about its rows
                helped = Query(helped.orm, helped.model, helped.loaded | loop.query.loaded, helped.limited, helped.line,
                               helped.text, helped.shape)
                loop = LoopFact(loop.path, loop.line, helped, loop.accesses, loop.calls, loop.end_line)
            model = relations.model_of(loop.query)
            calls = tuple((f"{model.qualname}.{c[len(ROW_METHOD_PREFIX):]}" if model else "", p, n)
                          if c.startswith(ROW_METHOD_PREFIX) else (c, p, n) for c, p, n in loop.calls)
            steps = list(_loop_accesses(loop.accesses, loop.path)) + list(_callee_accesses(calls, params, loop.path))
            for attr, sub, where in steps:
                yield from _report(relations, model, loop.query, attr, sub, loop.path, loop.line, where, seen, "loop")
        for view in fact.views:
            serializer = serializers.get(_inherited(view, views, "serializer"))
            query = _view_query(view, views)
            if serializer is None or query is None or not view.is_list:
                continue
            listed = serializers.get(view.list_serializer)
            applied = eager.loads(view.qualname, view.list_serializer or serializer.qualname)
            query = Query(query.orm, query.model, query.loaded | view.extra_loaded | applied, query.limited, query.line,
                          query.text)
            # a list serialised by another class (`get_serializer_class()` for "list") reads only what both read
            also = {attr for attr, _sub, _where in _serializer_accesses(listed, params)} if listed else None
            for attr, sub, where in _serializer_accesses(serializer, params):
                if also is not None and attr not in also:
                    continue
                yield from _report(relations, relations.model_of(query) or relations.by_name(serializer.model), query,
                                   attr, sub, view.path, view.line, where, seen, "view")
        for name, query, path, line in fact.serializer_calls:
            if name.startswith(VIEW_SERIALIZER_PREFIX):  # `self.get_serializer(...)`: the view's serializer_class
                owner = views.get(name[len(VIEW_SERIALIZER_PREFIX):])
                name = _inherited(owner, views, "serializer") if owner is not None else ""
            serializer = serializers.get(name)
            if serializer is None:
                continue
            for attr, sub, where in _serializer_accesses(serializer, params):
                yield from _report(relations, relations.model_of(query) or relations.by_name(serializer.model), query,
                                   attr, sub, path, line, where, seen, "serializer")


def _serialized_loads(facts: list[NPlusOneFacts], serializers: Mapping[str, SerializerFact],
                      views: Mapping[str, ViewFact], eager: EagerIndex) -> dict[str, list[frozenset[str]]]:
    """Serializer -> what each query it is known to serialise loads: the views naming it as their
    `serializer_class` or list serializer (their own or inherited queryset, with the serializer's
    eager-loading lists the view applies) and `Serializer(qs, many=True)` calls."""
    out: dict[str, list[frozenset[str]]] = {}
    for fact in facts:
        for view in fact.views:
            query = _view_query(view, views)
            for name in {_inherited(view, views, "serializer"), view.list_serializer}:
                if name in serializers and query is not None:
                    out.setdefault(name, []).append(query.loaded | view.extra_loaded | eager.loads(view.qualname, name))
        for name, query, _path, _line in fact.serializer_calls:
            if name.startswith(VIEW_SERIALIZER_PREFIX):
                owner = views.get(name[len(VIEW_SERIALIZER_PREFIX):])
                name = _inherited(owner, views, "serializer") if owner is not None else ""
            if name in serializers:
                out.setdefault(name, []).append(query.loaded)
    return out


def _with_serializer_prefetch(loop: LoopFact, served: Mapping[str, list[frozenset[str]]]) -> LoopFact:
    """`for rel in obj.tags.all()` in a serializer's method (`get_tags(self, obj)`, `to_representation
    (self, instance)`): the rows are the serialised objects, so what every query known to be
    serialised by that class loads below `tags` (`prefetch_related("tags__tag")`) is loaded here."""
    function, position = loop.owner
    if not function or position != 0:
        return loop
    loads = served.get(function.rsplit(".", 1)[0])
    if not loads:
        return loop
    relation = loop.query.model.split(":", 1)[1] + "__"
    extra = frozenset.intersection(*(frozenset(p[len(relation):] for p in paths if p.startswith(relation))
                                     for paths in loads))
    if not extra:
        return loop
    q = loop.query
    return LoopFact(loop.path, loop.line, Query(q.orm, q.model, q.loaded | extra, q.limited, q.line, q.text, q.shape),
                    loop.accesses, loop.calls, loop.end_line, loop.arguments, loop.owner)


def _view_query(view: ViewFact, views: Mapping[str, ViewFact]) -> Query | None:
    """The view's queryset: its own, or its base's; one built on `super().get_queryset()` (model
    `self`) keeps what the base's queryset loads."""
    inherited = _inherited_query(view, views)
    query = view.query or inherited
    if query is not None and query.model == "self" and inherited is not None:
        query = Query(inherited.orm, inherited.model, inherited.loaded | query.loaded,
                      inherited.limited or query.limited, query.line, query.text, query.shape)
    return query


def _passthrough_position(passthroughs: Mapping[str, list[tuple[str, int]]], callee: str, absent: int) -> int:
    """The argument whose rows the helper `callee` hands back; module names come from paths
    (`libs.utils.rows`) where imports say `app.libs.utils.rows`."""
    for name, position in passthroughs.get(callee.rsplit(".", 1)[-1], ()):
        if name == callee or callee.endswith("." + name) or name.endswith("." + callee):
            return position
    return absent


def _loop_accesses(accesses: tuple[Access, ...], path: str) -> Iterator[tuple[str, str, tuple[str, int]]]:
    for attr, sub, line in accesses:
        yield attr, sub, (path, line)


Params = Mapping[str, tuple[str, tuple[tuple[int, str, str, int], ...]]]


def _callee_accesses(calls: tuple[tuple[str, int, int], ...], params: Params,
                     path: str) -> Iterator[tuple[str, str, tuple[str, int]]]:
    """What a helper called with the row does to it, in whichever file it lives."""
    for callee, position, _line in calls:
        where, accessed = params.get(callee, ("", ()))
        for pos, attr, sub, line in accessed:
            if pos == position:
                yield attr, sub, (where, line)


def _serializer_accesses(serializer: SerializerFact, params: Params) -> Iterator[tuple[str, str, tuple[str, int]]]:
    """Relations a serializer reads per object: nested serializers, dotted sources, get_<field> methods."""
    for attr, sub, line in serializer.relations:
        yield attr, sub, (serializer.path, line)
    for method in serializer.methods:
        where, accessed = params.get(method, ("", ()))
        for pos, attr, sub, line in accessed:
            if pos == 0:
                yield attr, sub, (where, line)


def _inherited(view: ViewFact, views: Mapping[str, ViewFact], what: str) -> str:
    current, depth = view, 0
    while current is not None and depth < 5:
        if current.serializer:
            return current.serializer
        current = next((views[b] for b in current.bases if b in views), None)
        depth += 1
    return ""


def _inherited_query(view: ViewFact, views: Mapping[str, ViewFact]) -> Query | None:
    current, depth = view, 0
    while current is not None and depth < 5:
        if current.query is not None and current.query.model != "self":
            return current.query
        current = next((views[b] for b in current.bases if b in views), None)
        depth += 1
    return None


def _report(relations: Relations, model: ModelFact | None, query: Query, attr: str, sub: str, path: str, line: int,
            where: tuple[str, int], seen: set[tuple[str, int, str]], how: str) -> Iterator[Finding]:
    kind = relation_kind(relations, model, attr, query.orm)
    if kind is None or (path, line, attr) in seen:
        return
    covered = attr in {p.split("__")[0] for p in query.loaded} or ("*" in query.loaded and kind in ("fk", "o2o"))
    if covered and not (query.orm == "django" and kind in ("m2m", "reverse", "manager") and sub in _STILL_QUERIES):
        return
    if kind in ("m2m", "reverse", "manager") and query.orm == "django" and sub not in _MANAGER_CALLS:
        return
    if kind == "manager" and sub in ("get", "values", "__iter__"):
        return  # on an unknown model these are as likely a dict (JSONField) as a related manager
    if _back_to_owner(relations, model, query, attr):
        return  # `for note in document.notes.all(): note.document`: Django fills it from the manager's owner
    seen.add((path, line, attr))
    noun = (model.name if model else "row").lower()
    fix_code, fix_text = _fix(query, attr, kind, covered, model)
    evidence = (TraceStep(Location(path, query.line), f"query of {noun}s", query.text),
                TraceStep(Location(*where), f"`.{attr}` read for every {noun}: one more query each"))
    yield make_finding(
        "n-plus-one-query", Location(path, line),
        f"N+1 queries: `{attr}` loaded lazily for every {noun}" + (" (serializer)" if how != "loop" else ""),
        f"One query per {noun}: a page of 50 {noun}s issues 51 queries and 1,000 issue 1,001. At ~1 ms each that "
        "is a second of database time per request, growing with the data rather than the traffic.",
        confidence=Confidence.HIGH if model is not None else Confidence.MEDIUM,
        evidence=evidence, fix=Fix(fix_text, fix_code, "python"), rule=RULE.id, key=f"{noun}.{attr}",
    )


def _back_to_owner(relations: Relations, model: ModelFact | None, query: Query, attr: str) -> bool:
    """A row of a Django related manager (`status.user_stories.all()`, also filtered or ordered)
    reading the foreign key that manager follows back (`story.status`): Django hands every row the
    manager's owner object (its known related objects), so the read costs no query."""
    if model is None or query.orm != "django" or not query.model.startswith("related:"):
        return False
    field = relations.field(model, attr)
    if field is None or field.kind not in ("fk", "o2o"):
        return False
    manager = query.model.split(":", 1)[1]
    # the manager is this key's reverse only when no other key of the row shares its reverse name
    # (`Face.photo` and `Face.person` both `related_name="faces"`: which owner is unknown)
    back = [f.name for f in model.fields if f.kind in ("fk", "o2o") and _reverse_name(model, f) == manager]
    return back == [attr]


def _reverse_name(model: ModelFact, field) -> str:  # type: ignore[no-untyped-def]
    default = model.name.lower() if field.kind == "o2o" else f"{model.name.lower()}_set"
    return field.related_name or default


_MANAGER_CALLS = frozenset({"all", "filter", "exclude", "count", "exists", "first", "last", "order_by", "values",
                            "values_list", "aggregate", "annotate", "get", "__iter__"})


def _fix(query: Query, attr: str, kind: str, covered: bool, model: ModelFact | None) -> tuple[str, str]:
    text = query.text or "queryset"
    if query.orm == "sqlalchemy":
        owner = model.name if model else "Model"
        option = f".options(selectinload({owner}.{attr}))"
        for head in (f"select({owner})", f"query({owner})"):
            if head in text:
                return text.replace(head, head + option, 1), "Load the relation with the query (selectinload for " \
                    "collections, joinedload for many-to-one)."
        return f"{text}{option}", "Load the relation with the query (selectinload / joinedload)."
    if covered:
        return (f'{text}.prefetch_related(Prefetch("{attr}", queryset=..., to_attr="{attr}_list"))',
                "The relation is prefetched but then filtered per row, which queries again; filter in a Prefetch.")
    method = "select_related" if kind in ("fk", "o2o") else "prefetch_related"
    if query.model == "self" or text.startswith("self."):
        return f'queryset = {text}.{method}("{attr}")', f"Add {method} to the view's queryset."
    head, cut, tail = text.rpartition("[")
    fixed = f'{head}.{method}("{attr}")[{tail}' if cut and tail.endswith("]") else f'{text}.{method}("{attr}")'
    return fixed, f"Load `{attr}` with the query: {method} ({'one JOIN' if method == 'select_related' else 'one extra query for all rows'})."


RULE = Rule("py-perf-n-plus-one", frozenset({"n-plus-one-query"}), "python", no_findings,
            collect=collect, combine=combine)
