"""Cache entries as plain data: a versioned, checksummed JSON table that decodes to an
explicit allow-list of servicelens's own dataclasses and enums, never to anything else.

Why not pickle: a cache directory is shared state, and unpickling runs whatever the file
says. Here a file can only name types from `registry()`, the closure of the field
annotations of FileFacts, Report and every rule's `collect` result, so a planted or
damaged entry is at worst a cache miss.

Layout (one JSON array, after a header line `SLCACHE <version> <sha256 of payload>`):
    [type names, strings, ints, floats, nodes, root]
Objects are numbered None=0, False=1, True=2, then strings, ints, floats, then one per
node in order; a node is [kind, *object numbers] where kind 0..3 is tuple, list,
frozenset, dict (flattened key, value pairs) and kind 4+ indexes the type names. Equal
values are stored once, which keeps entries small and decoding quick.
"""
from __future__ import annotations

import collections.abc
import dataclasses
import hashlib
import json
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from servicelens.collector import collector_paused

FORMAT_VERSION = b"1"
MAGIC = b"SLCACHE"
_HEADER_MAX = 128
_CONTAINERS: tuple[type, ...] = (tuple, list, frozenset, dict)
_FIRST_TYPE_KIND = len(_CONTAINERS)
_ANYTHING: tuple[type, ...] = (object,)
# real facts nest about a dozen levels; far deeper is pathological, and encoding it
# would recurse through C (map) deep enough to risk the C stack in a worker
_MAX_DEPTH = 64


class UncacheableValue(TypeError):
    """The value holds something outside the allow-list; it is simply not cached."""


class CorruptEntry(ValueError):
    """The bytes are not an entry this version wrote; the caller treats it as a miss."""


@dataclass(frozen=True, slots=True)
class CacheableType:
    """One allow-listed class: how to read its fields and what each field may hold."""

    cls: type
    name: str  # stable name written into entries: module path below servicelens + qualname
    fields: tuple[str, ...]  # empty for an enum (its value is stored instead)
    field_types: tuple[tuple[type, ...], ...]  # shallow isinstance check per field

    @property
    def is_enum(self) -> bool:
        return issubclass(self.cls, Enum)


@dataclass(frozen=True, slots=True)
class TypeRegistry:
    by_class: Mapping[type, CacheableType]
    by_name: Mapping[str, CacheableType]


def encode(value: object) -> bytes:
    """Entry bytes for `value`; raises UncacheableValue for anything not allow-listed."""
    payload = _Encoder().payload(value)
    try:
        text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), check_circular=False)
    except ValueError as exc:  # an int too long for str() (sys.set_int_max_str_digits)
        raise UncacheableValue(str(exc)) from None
    body = text.encode("ascii")
    return b"%s %s %s\n%s" % (MAGIC, FORMAT_VERSION, hashlib.sha256(body).hexdigest().encode(), body)


def decode(data: bytes) -> object:
    """The value an entry holds; raises CorruptEntry for anything else (never more)."""
    try:
        body = _checked_body(data)
        # decoding allocates many objects that all survive and can form no cycle (every
        # reference points backwards): rescanning them meanwhile costs ~40% of the decode
        with collector_paused():
            return _decode_payload(json.loads(body.decode("utf-8")))
    except CorruptEntry:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged entry trips over, it is only a miss
        raise CorruptEntry(f"{exc.__class__.__name__}: {exc}") from None


def _checked_body(data: bytes) -> bytes:
    end = data.find(b"\n", 0, _HEADER_MAX)
    if end < 0:
        raise CorruptEntry("no header")
    parts = data[:end].split(b" ")
    if len(parts) != 3 or parts[0] != MAGIC:
        raise CorruptEntry("not a servicelens cache entry")
    if parts[1] != FORMAT_VERSION:
        raise CorruptEntry(f"format version {parts[1]!r}, expected {FORMAT_VERSION!r}")
    body = data[end + 1:]
    if hashlib.sha256(body).hexdigest().encode() != parts[2]:
        raise CorruptEntry("checksum mismatch")
    return body


class _Encoder:
    """Numbers every distinct value bottom-up; children always precede their parents.

    Numbers are handed out in creation order; `payload` renumbers them so the scalars
    come first, grouped by type, the way the decoder lays its table out."""

    def __init__(self) -> None:
        self.count = 3  # 0, 1, 2: None, False, True
        self.depth = 0
        self.strings: dict[str, int] = {}
        self.ints: dict[int, int] = {}
        self.floats: list[float] = []
        self.float_refs: list[int] = []
        self.nodes: list[tuple[int, ...]] = []
        self.node_refs: dict[tuple[int, ...], int] = {}
        self.by_identity: dict[int, int] = {}
        self.type_names: list[str] = []
        self.known_types: dict[type, tuple[int, Callable[[Any], tuple[Any, ...]] | None]] = {}

    def payload(self, value: object) -> list[object]:
        root = self.ref(value)
        final = [0, 1, 2] + [0] * (self.count - 3)
        position = 3
        for refs in (self.strings.values(), self.ints.values(), self.float_refs, self.node_refs.values()):
            for provisional in refs:
                final[provisional] = position
                position += 1
        nodes = [[node[0], *[final[r] for r in node[1:]]] for node in self.nodes]
        return [self.type_names, list(self.strings), list(self.ints), self.floats, nodes, final[root]]

    def _interned(self, table: dict, value: object) -> int:
        """Equal strings (and ints) are stored once and referenced by position."""
        found = table.get(value)
        if found is None:
            found = table[value] = self.count
            self.count += 1
        return found

    def ref(self, value: object) -> int:
        kind = type(value)
        if kind is str:
            return self._interned(self.strings, value)
        if value is None:
            return 0
        if kind is bool:
            return 2 if value else 1
        if kind is int:
            return self._interned(self.ints, value)
        if kind is float:
            # not shared: -0.0 == 0.0 and nan != nan, and floats are rare
            self.floats.append(value)  # type: ignore[arg-type]
            self.float_refs.append(self.count)
            self.count += 1
            return self.count - 1
        known = self.by_identity.get(id(value))
        if known is not None:
            return known
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise UncacheableValue(f"nested more than {_MAX_DEPTH} levels deep")
        node = self._node(kind, value)
        self.depth -= 1
        found = self.node_refs.get(node)
        if found is None:
            found = self.node_refs[node] = self.count  # insertion order = creation order
            self.count += 1
            self.nodes.append(node)
        self.by_identity[id(value)] = found  # the value outlives the encoder call: no id reuse
        return found

    def _node(self, kind: type, value: Any) -> tuple[int, ...]:
        ref = self.ref
        if kind is tuple:
            return (0, *map(ref, value))
        if kind is list:
            return (1, *map(ref, value))
        if kind is frozenset:
            return (2, *sorted(map(ref, value)))  # sorted: equal sets share one node
        if kind is dict:
            flat: list[int] = [3]
            for key, item in value.items():
                flat.append(ref(key))
                flat.append(ref(item))
            return tuple(flat)
        known = self.known_types.get(kind)
        if known is None:
            known = self.known_types[kind] = self._register(kind)
        type_kind, field_values = known
        if field_values is None:
            return (type_kind, ref(value.value))
        return (type_kind, *map(ref, field_values(value)))

    def _register(self, kind: type) -> tuple[int, Callable[[Any], tuple[Any, ...]] | None]:
        spec = _spec_of_class(kind)
        if spec is None:
            raise UncacheableValue(f"{kind.__module__}.{kind.__qualname__} is not a cacheable type")
        self.type_names.append(spec.name)
        type_kind = _FIRST_TYPE_KIND + len(self.type_names) - 1
        if spec.is_enum:
            return type_kind, None
        if len(spec.fields) == 1:
            only = spec.fields[0]
            return type_kind, lambda v: (getattr(v, only),)
        return type_kind, attrgetter(*spec.fields)


def _decode_payload(payload: Any) -> object:
    if type(payload) is not list or len(payload) != 6:
        raise CorruptEntry("payload is not a six-part table")
    names, strings, ints, floats, nodes, root = payload
    for section, allowed in ((names, str), (strings, str), (ints, int), (floats, float)):
        if type(section) is not list or not set(map(type, section)) <= {allowed}:
            raise CorruptEntry(f"a {allowed.__name__} section holds something else")
    if type(nodes) is not list or type(root) is not int or root < 0:
        raise CorruptEntry("bad node list or root")
    objects: list[object] = [None, False, True, *strings, *ints, *floats]
    builders = _builders(names, objects.__getitem__)
    append = objects.append
    for node in nodes:
        if type(node) is not list or min(node) < 0:  # min: also rejects non-numbers and []
            raise CorruptEntry("bad node")
        append(builders[node[0]](node))
    return objects[root]


def _builders(names: list[str], get: Callable[[int], object]) -> list[Callable[[list[int]], object]]:
    def as_tuple(node: list[int]) -> object:
        return tuple(map(get, node[1:]))

    def as_list(node: list[int]) -> object:
        return list(map(get, node[1:]))

    def as_frozenset(node: list[int]) -> object:
        return frozenset(map(get, node[1:]))

    def as_dict(node: list[int]) -> object:
        items = map(get, node[1:])
        if len(node) % 2 != 1:
            raise CorruptEntry("dict node with an odd number of keys and values")
        return dict(zip(items, items))

    out: list[Callable[[list[int]], object]] = [as_tuple, as_list, as_frozenset, as_dict]
    for name in names:
        spec = _spec_named(name)
        if spec is None:
            raise CorruptEntry(f"type {name!r} is not cacheable")
        out.append(_instance_builder(spec, get))
    return out


def _instance_builder(spec: CacheableType, get: Callable[[int], object]) -> Callable[[list[int]], object]:
    cls = spec.cls
    if spec.is_enum:
        def as_enum(node: list[int]) -> object:
            if len(node) != 2:
                raise CorruptEntry(f"{spec.name}: expected one value")
            return cls(get(node[1]))
        return as_enum

    size = len(spec.fields) + 1
    checks = spec.field_types

    def as_instance(node: list[int]) -> object:
        if len(node) != size:
            raise CorruptEntry(f"{spec.name}: expected {size - 1} fields, found {len(node) - 1}")
        args = tuple(map(get, node[1:]))
        if not all(map(isinstance, args, checks)):
            raise CorruptEntry(f"{spec.name}: a field holds a value of the wrong type")
        return cls(*args)
    return as_instance


def _spec_of_class(cls: type) -> CacheableType | None:
    return registry(rule_facts=False).by_class.get(cls) or registry().by_class.get(cls)


def _spec_named(name: str) -> CacheableType | None:
    return registry(rule_facts=False).by_name.get(name) or registry().by_name.get(name)


@lru_cache(maxsize=4)
def registry(rule_facts: bool = True) -> TypeRegistry:
    """Every class that can occur in a cached value, found from the code itself: the
    closure of the field annotations of FileFacts and Report and, with `rule_facts`, of
    what every rule's `collect` returns. Without it no rule module is imported, which
    keeps a fully cached review (one Report entry) fast."""
    from servicelens.analysis.facts import FileFacts
    from servicelens.model.report import Report

    roots: list[object] = [FileFacts, Report]
    if rule_facts:
        from servicelens.rules.base import discover_rules

        for rule in discover_rules("servicelens.rules.python"):
            if rule.collect is not None:
                roots.append(typing.get_type_hints(rule.collect).get("return", object))
    found: dict[type, CacheableType] = {}
    pending = list(roots)
    while pending:
        annotation = pending.pop()
        for cls in _classes_in(annotation):
            if cls in found:
                continue
            spec = _describe(cls)
            found[cls] = spec
            if not spec.is_enum:
                pending.extend(typing.get_type_hints(cls).values())
    by_name = {spec.name: spec for spec in found.values()}
    return TypeRegistry(MappingProxyType(found), MappingProxyType(by_name))


def _classes_in(annotation: object) -> list[type]:
    """The servicelens dataclasses and enums an annotation mentions, at any depth."""
    if typing.get_origin(annotation) is not None:
        return [cls for arg in typing.get_args(annotation) for cls in _classes_in(arg)]
    own = isinstance(annotation, type) and annotation.__module__.startswith("servicelens.")
    if own and (dataclasses.is_dataclass(annotation) or issubclass(annotation, Enum)):  # type: ignore[arg-type]
        return [annotation]  # type: ignore[list-item]
    return []


def _describe(cls: type) -> CacheableType:
    name = f"{cls.__module__.removeprefix('servicelens.')}.{cls.__qualname__}"
    if issubclass(cls, Enum):
        return CacheableType(cls, name, (), ())
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        raise TypeError(f"{name}: a field outside __init__ cannot be rebuilt from its value")
    hints = typing.get_type_hints(cls)
    return CacheableType(cls, name, tuple(f.name for f in fields), tuple(_shallow(hints[f.name]) for f in fields))


def _shallow(annotation: object) -> tuple[type, ...]:
    """What isinstance can check about a field cheaply: its outer type(s)."""
    if annotation is None or annotation is type(None):
        return (type(None),)
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        members: list[type] = []
        for arg in typing.get_args(annotation):
            allowed = _shallow(arg)
            if allowed == _ANYTHING:
                return _ANYTHING
            members.extend(allowed)
        return tuple(dict.fromkeys(members))
    if origin is typing.Literal:
        return tuple(dict.fromkeys(type(arg) for arg in typing.get_args(annotation)))
    if origin is not None:
        annotation = origin
    if annotation is typing.Any:
        return _ANYTHING
    if annotation is float:
        return (float, int)  # a float field may hold an int default
    if annotation in (collections.abc.Mapping, typing.Mapping):
        return (collections.abc.Mapping,)
    if isinstance(annotation, type) and annotation is not object:
        return (annotation,)
    return _ANYTHING
