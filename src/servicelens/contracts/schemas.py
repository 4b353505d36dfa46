"""Walking JSON Schemas (OpenAPI flavours) into the positions the checks look at.

    walk(resolver, Target, owner) -> Slot per schema position: the root, each property,
                                     each `items`, through allOf/oneOf/anyOf and $ref

A Slot carries the *owner*: the nearest named component schema (where a fix is made
once for every operation that uses it) or the operation for inline schemas. Walks stop
at components already seen in the same walk set, so a shared schema is reported once
and a recursive schema terminates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens.contracts.refs import Resolver, Target
from servicelens.infra.yamldoc import YNode

MAX_DEPTH = 24
MAX_SLOTS = 20000  # per walk set: a generated spec with thousands of schemas still finishes


@dataclass(frozen=True, slots=True)
class Owner:
    name: str  # "User" (component) or "POST /users" (inline)
    rel: str
    line: int


@dataclass(frozen=True, slots=True)
class Slot:
    label: str  # dotted position: "User.address.street", "POST /users body[]"
    name: str  # property name ("" for roots and items)
    schema: YNode  # resolved
    rel: str
    line: int  # property key line, or the schema's line for roots/items
    owner: Owner
    read_only: bool
    write_only: bool

    def types(self) -> set[str]:
        """`type` as a set (3.1 allows a list, 2.0/3.0 a string; absent means unknown)."""
        node = self.schema.get("type")
        return set(node.strings()) if node is not None else set()

    def has(self, key: str) -> bool:
        return self.schema.get(key) is not None


class WalkSet:
    """Components already walked (by file and line), shared by the walks of one check."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, int]] = set()
        self.count = 0


def walk(resolver: Resolver, start: Target, owner: Owner, label: str, seen: WalkSet,
         name: str = "", line: int = 0) -> Iterator[Slot]:
    """Every position under `start`; `name`/`line` describe the root (a parameter's name)."""
    if start.name and _is_component(start):
        if (start.rel, start.key_line) in seen.seen:
            return
        seen.seen.add((start.rel, start.key_line))
        owner, label = Owner(start.name, start.rel, start.key_line), start.name
    yield from _walk(resolver, start.node, start.rel, owner, label, name, line or start.key_line, seen, 0,
                     False, False)


def _walk(resolver: Resolver, node: YNode, rel: str, owner: Owner, label: str, name: str, line: int,
          seen: WalkSet, depth: int, read_only: bool, write_only: bool) -> Iterator[Slot]:
    if depth > MAX_DEPTH or seen.count > MAX_SLOTS or not node.is_map:
        return
    target = resolver.resolve(node, rel)
    if target.name and (target.rel, target.key_line) in seen.seen:
        return
    if target.name:
        seen.seen.add((target.rel, target.key_line))
        if _is_component(target):
            owner, label = Owner(target.name, target.rel, target.key_line), target.name
    schema, rel = target.node, target.rel
    if not schema.is_map:
        return
    read_only = read_only or _flag(schema, "readOnly")
    write_only = write_only or _flag(schema, "writeOnly")
    seen.count += 1
    yield Slot(label, name, schema, rel, line, owner, read_only, write_only)
    for combiner in ("allOf", "oneOf", "anyOf"):
        parts = schema.get(combiner)
        for part in parts.items() if parts is not None else []:
            yield from _walk(resolver, part, rel, owner, label, name, part.line, seen, depth + 1, read_only, write_only)
    props = schema.get("properties")
    for prop, key, value in props.entries() if props is not None and props.is_map else []:
        yield from _walk(resolver, value, rel, owner, f"{label}.{prop}", prop, key.line, seen, depth + 1,
                         read_only, write_only)
    items = schema.get("items")
    if items is not None and items.is_map:
        yield from _walk(resolver, items, rel, owner, f"{label}[]", "", items.line, seen, depth + 1,
                         read_only, write_only)
    extra = schema.get("additionalProperties")
    if extra is not None and extra.is_map:
        yield from _walk(resolver, extra, rel, owner, f"{label}{{*}}", "", extra.line, seen, depth + 1,
                         read_only, write_only)


def _is_component(target: Target) -> bool:
    """Reached a named schema (`components/schemas/X`, `definitions/X` or a file's top level)."""
    return bool(target.name) and not target.name.isdigit()


def _flag(schema: YNode, key: str) -> bool:
    value = schema.get(key)
    return bool(value is not None and value.as_bool())


def properties_of(resolver: Resolver, start: Target, depth: int = 0) -> dict[str, Target]:
    """Top-level properties of a schema (allOf merged, $ref followed), lower-cased names."""
    target = resolver.resolve(start.node, start.rel)
    node = target.node
    out: dict[str, Target] = {}
    if depth > 8 or not node.is_map:
        return out
    props = node.get("properties")
    for prop, key, value in props.entries() if props is not None and props.is_map else []:
        if value.is_map:
            out[prop.lower()] = resolver.resolve(value, target.rel)
    for combiner in ("allOf", "oneOf", "anyOf"):
        parts = node.get(combiner)
        for part in parts.items() if parts is not None else []:
            out.update(properties_of(resolver, Target(part, target.rel, part.line), depth + 1))
    return out
