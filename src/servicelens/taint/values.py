"""Abstract values for the taint engine.

A `Value` is what the engine knows about an expression's result: where untrusted data in
it comes from (`taint`, a set of `Origin`s), its constant value when known, its
elements when it is a container or object built from known keys (element-sensitive:
only the tainted element is tainted), a rough string shape for predicates ("SELECT ..
WHERE id = {}"), and tags naming what kind of object it is (request, logger, ...).

Origins are symbolic so a function can be summarised once and resolved later:
  Src   untrusted data from a modelled source
  Par   whatever the caller passes as parameter `name`
  Ret   whatever call number `index` in this function returns (resolved across files)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from servicelens.fast_init import fast_frozen_init

UNKNOWN = object()  # "no constant known"; a sentinel, never a real constant
MAX_TRACE = 12
MAX_ORIGINS = 16


@fast_frozen_init  # built for every expression the engine evaluates
@dataclass(frozen=True, slots=True)
class Step:
    path: str
    line: int
    text: str
    code: str = ""

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt by one constructor call: a frozen dataclass's default state protocol sets
        # each field through object.__setattr__ after looking the fields up, per object, and
        # the per-file facts a worker sends back hold hundreds of thousands of these
        return (Step, (self.path, self.line, self.text, self.code))


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Origin:
    base: tuple[object, ...]  # ("src", kind, label, line) | ("par", name) | ("ret", index) | ("ret", index, field)
    cleansed: frozenset[str] = frozenset()
    trace: tuple[Step, ...] = ()

    def __reduce__(self) -> tuple[object, ...]:
        return (Origin, (self.base, self.cleansed, self.trace))  # see Step.__reduce__

    @property
    def key(self) -> tuple[object, ...]:
        return (self.base, self.cleansed)

    def step(self, path: str, line: int, text: str, code: str = "") -> Origin:
        last = self.trace[-1] if self.trace else None
        if len(self.trace) >= MAX_TRACE or (last is not None and last.line == line and last.path == path):
            return self
        # the constructor, not dataclasses.replace (which looks the fields up on every call)
        return Origin(self.base, self.cleansed, self.trace + (Step(path, line, text, code),))

    def cleanse(self, kinds: frozenset[str]) -> Origin:
        return Origin(self.base, self.cleansed | kinds, self.trace)


Taint = frozenset[Origin]


def trace_key(trace: tuple[Step, ...]) -> tuple[tuple[str, int, str], ...]:
    """A total order on traces, so that which of two equally short ones is kept never depends on
    the order a set yields them in (the hash seed)."""
    return tuple((step.path, step.line, step.text) for step in trace)


def shorter_trace(candidate: tuple[Step, ...], current: tuple[Step, ...]) -> bool:
    """Whether `candidate` should replace `current`: shorter, or as short and first in trace order."""
    if len(candidate) != len(current):
        return len(candidate) < len(current)
    return candidate != current and trace_key(candidate) < trace_key(current)
EMPTY: Taint = frozenset()


def merge(*sets: Iterable[Origin]) -> Taint:
    """Union keeping one origin per (base, cleansed), the one with the shortest trace.
    Most values carry no taint at all (constants, arithmetic on them), so empty inputs
    cost no dictionary, and a single origin (the next most common case) is its own union."""
    present = None  # a plain loop: no comprehension frame on the engine's most frequent call
    for items in sets:
        if items:
            if present is None:
                present = [items]
            else:
                present.append(items)
    if present is None:
        return EMPTY
    if len(present) == 1:
        only = present[0]
        if type(only) is frozenset and len(only) == 1:
            return only
    best: dict[tuple[object, ...], Origin] = {}
    for items in present:
        for origin in items:
            key = (origin.base, origin.cleansed)
            current = best.get(key)
            if current is None or shorter_trace(origin.trace, current.trace):
                best[key] = origin
    if len(best) > MAX_ORIGINS:
        ordered = sorted(best.values(), key=lambda o: (o.base[0] != "src", len(o.trace), repr(o.base),
                                                       sorted(o.cleansed), trace_key(o.trace)))
        return frozenset(ordered[:MAX_ORIGINS])
    return frozenset(best.values())


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Value:
    taint: Taint = EMPTY  # taint of the parts not described by `elements`
    const: object = UNKNOWN
    elements: tuple[tuple[object, Value], ...] | None = None  # known keys/indices/(".", attr)
    shape: str | None = None  # constant text with "{}" where non-constant parts go
    tags: frozenset[str] = frozenset()

    def all_taint(self) -> Taint:
        """Taint of the value used as a whole (e.g. formatted into a string)."""
        if not self.elements:
            return self.taint
        return merge(self.taint, *(v.all_taint() for _, v in self.elements))

    def is_tainted(self) -> bool:
        return bool(self.all_taint())

    def element(self, key: object) -> Value:
        """`value[key]` with a constant key: the element if known, else the rest."""
        if self.elements is not None:
            for k, v in self.elements:
                if k == key:
                    return v
            return Value(taint=self.taint)
        if self.const is not UNKNOWN and isinstance(key, (int, str)) and not isinstance(self.const, bool):
            try:
                return Value(const=self.const[key])  # type: ignore[index]
            except (TypeError, IndexError, KeyError):
                return Value()
        return Value(taint=self.taint, tags=self.tags & {"request"})

    def with_element(self, key: object, value: Value) -> Value:
        kept = tuple((k, v) for k, v in (self.elements or ()) if k != key)
        return Value(self.taint, UNKNOWN, kept + ((key, value),), self.shape, self.tags)

    def with_taint(self, taint: Taint) -> Value:
        return Value(merge(self.taint, taint), UNKNOWN, self.elements, self.shape, self.tags)


CLEAN = Value()
# a mapping whose keys all come from the server (`{k: data[k] for k in ALLOWED}`): walking it yields
# only those keys, though its values are the client's
SERVER_KEYS = "server-keys"


def iterated(value: Value) -> Value:
    """What a loop over `value` binds: each member; for a mapping with the server's keys, a key."""
    return CLEAN if SERVER_KEYS in value.tags else value


def tainted(taint: Taint, shape: str | None = None) -> Value:
    return Value(taint=taint, shape=shape)


def join(a: Value, b: Value) -> Value:
    """The value after control flow merges: either branch may have run."""
    if a is b or a == b:
        return a
    const = a.const if a.const is not UNKNOWN and b.const is not UNKNOWN and _same(a.const, b.const) else UNKNOWN
    elements = None
    if a.elements is not None and b.elements is not None:
        keys = [k for k, _ in a.elements] + [k for k, _ in b.elements if k not in dict(a.elements)]
        elements = tuple((k, join(a.element(k), b.element(k))) for k in keys)
    elif a.elements is not None or b.elements is not None:
        # one branch set fields of an object the other left as it was (`if (c) await
        # team.update({ ref: c })`): the fields stay apart, each also carrying whatever the
        # untouched object held, so `team.url` is not the value written to `team.ref`
        known, other = (a, b) if a.elements is not None else (b, a)
        spread = other.all_taint()
        fields = tuple((k, join(v, Value(taint=spread)) if spread else v) for k, v in known.elements or ())
        return Value(taint=merge(known.taint, spread), elements=fields, tags=_joined_tags(a, b))
    shape = a.shape if a.shape == b.shape else None
    return Value(merge(a.taint, b.taint), const, elements, shape, _joined_tags(a, b))


# Tags that vouch for the whole value ("a path of this site", "a host the server chose"):
# after a merge they hold only if every side that may carry client text had them, so
# `next or reverse("home")` stays the client's URL when `next` is set.
_VOUCHING_TAGS = frozenset({"local-url", "fixed-origin", "configured"})
CONFIGURED = "configured"  # the result of a lookup by constant keys (taint/calls.py): a setting


def _joined_tags(a: Value, b: Value) -> frozenset[str]:
    tags = a.tags | b.tags
    for tag in _VOUCHING_TAGS & tags:
        for side in (a, b):
            if tag not in side.tags and side.all_taint() and not is_setting(side):
                tags = tags - {tag}
    return tags


def is_setting(value: Value) -> bool:
    """Only results of lookups by a constant key (`nconf.get('relative_path')`, `config.get("BASE_URL")`):
    a setting the server was given, not text a client sent."""
    return CONFIGURED in value.tags and all(o.base[0] == "ret" for o in value.all_taint())


def _same(x: object, y: object) -> bool:
    return type(x) is type(y) and x == y


def field_read(taint: Taint, field: str) -> Taint:
    """The taint of `value.field` where `value` holds what project calls returned: each call's
    result narrowed to that field ("ret", index, field), resolved to what the callee's returns
    put in it when every one of them is an object literal (taint.resolve). Other origins, and a
    field of a field, stay as they are."""
    if not any(o.base[0] == "ret" and len(o.base) == 2 for o in taint):
        return taint
    return frozenset(Origin(o.base + (field,), o.cleansed, o.trace) if o.base[0] == "ret" and len(o.base) == 2 else o
                     for o in taint)
