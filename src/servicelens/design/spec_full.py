"""The full spec (version 2): everything the requirement model holds, as YAML a user can
read, edit and run again.

Plain English is the easy door and the spec the precise one. `--emit-spec` writes the
spec a text was understood as; `servicelens design spec.yaml` turns it back into the very
same requirement, so an edit (a rate, an invariant, a provider) changes only what it
touches. Every section is optional: what a section leaves out comes from the
`requirement` text, as in version 1.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import fields, replace
from typing import Any

import yaml

from servicelens.design.bounds import FIELD_BOUNDS
from servicelens.design.catalog import Catalog, domain_spec
from servicelens.design.identifiers import snake_identifier
from servicelens.design.invariant_shapes import specialise
from servicelens.design.rates import RATE_SECONDS
from servicelens.design.requirement import parse_requirement
from servicelens.design.shape_blocks import SHAPE_BLOCKS
from servicelens.design.synthesis import SYSTEM
from servicelens.design.text_guard import MAX_NUMBER, MAX_REQUIREMENT_CHARS, UnreadableText
from servicelens.model.design import Constraint, Contradiction, Invariant, Quantity, RateMention, Requirement, StatedFigure

VERSION = 2
# Quantity fields with their canonical unit (the unit every value in the spec is in).
QUANTITY_UNITS = {
    "total_users": "users", "daily_active_users": "users", "monthly_active_users": "users",
    "daily_active_fraction": "x", "read_write_ratio": "x", "peak_factor": "x", "record_bytes": "B",
    "media_bytes": "B", "media_fraction": "x", "retention": "s", "latency_p99_ms": "ms", "latency_p50_ms": "ms",
    "availability_pct": "%", "fanout": "count", "query_chars": "count", "concurrent_connections": "connections",
    "stream_bitrate": "B/s",
}
SECTIONS = ("version", "requirement", "stack", "domains", "entities", "actions", "rates", "quantities", "consistency",
            "compliance", "traffic_hint", "invariants", "unaddressed", "constraints", "workloads", "figures", "contradictions")
_KINDS = ("read", "write", "total")
_CONSISTENCY = ("", "exactly-once", "strong", "eventual")
_MAX_ITEMS = 200
_MAX_TEXT = 2_000


class SpecProblem(ValueError):
    """A field of the full spec that cannot be used: `line` is 1-based, `field` a path."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def spec_of(req: Requirement, stack: str = "") -> dict[str, Any]:
    """The requirement as a version-2 spec (plain data, in the order a reader wants it)."""
    out: dict[str, Any] = {"version": VERSION, "requirement": req.text}
    if stack:
        out["stack"] = stack
    out["domains"] = list(req.domains)
    out["entities"] = list(req.entities)
    out["actions"] = list(req.actions)
    out["rates"] = [{"subject": r.subject, "kind": r.kind, "count": r.count_per_period, "period": r.period,
                     "per_second": r.per_second, "peak": r.peak, "per_user": r.per_user, "source": r.source}
                    for r in req.rates]
    out["quantities"] = {name: {"value": q.value, "source": q.source}
                         for name in QUANTITY_UNITS if isinstance(q := getattr(req, name), Quantity)}
    out["consistency"] = req.consistency
    out["compliance"] = list(req.compliance)
    out["traffic_hint"] = req.traffic_hint
    out["invariants"] = [{"kind": i.kind, "phrase": i.phrase, "mechanism": i.mechanism, "enforced_in": i.enforced_in}
                         for i in req.invariants]
    out["unaddressed"] = list(req.unaddressed)
    out["constraints"] = [{"kind": c.kind, "value": c.value, "phrase": c.phrase, "consequence": c.consequence}
                          for c in req.constraints]
    out["workloads"] = [{"shape": shape, "named_by": words} for shape, words in req.workloads]
    out["figures"] = [{"phrase": f.phrase, "value": f.value, "unit": f.unit, "meaning": f.meaning, "used": f.used}
                      for f in req.figures]
    out["contradictions"] = [{"message": c.message, "sources": list(c.sources)} for c in req.contradictions]
    return out


_HEADER = """\
# servicelens design spec, version 2: the requirement as it was understood.
# Edit any section and run `servicelens design THIS_FILE.yaml`; a section you delete is read
# again from `requirement`. Fields: docs/design-spec.md ("The full spec").
"""


def dump_spec(req: Requirement, stack: str = "") -> str:
    """The spec as YAML text, with a header saying how to use it."""
    body = yaml.safe_dump(spec_of(req, stack), sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


def requirement_from_spec(data: dict[str, Any], lines: dict[str, int], catalog: Catalog) -> tuple[Requirement, str]:
    """(requirement, stack) from a parsed version-2 spec; `lines` maps a field path to its line."""
    def line(path: str) -> int:
        return lines.get(path, lines.get(path.split(".")[0], 1))

    for key in data:
        if key not in SECTIONS:
            hint = difflib.get_close_matches(str(key), SECTIONS, n=1)
            raise SpecProblem(line(str(key)), str(key), "unknown field" + (f" (did you mean '{hint[0]}'?)" if hint else ""))
    text = _text(data.get("requirement", ""), "requirement", line, MAX_REQUIREMENT_CHARS)
    try:
        base = parse_requirement(text, catalog) if text.strip() else Requirement(text="", domains=(), entities=(),
                                                                                 operations=())
    except UnreadableText as exc:
        raise SpecProblem(line("requirement"), "requirement", str(exc)) from None
    stack = _text(data.get("stack", ""), "stack", line, 40)
    given: dict[str, Any] = {}
    if "domains" in data:
        given["domains"] = _domains(data["domains"], catalog, line)
    domains = given.get("domains", base.domains)
    if not domains:
        raise SpecProblem(line("domains"), "domains", "give `domains` (" + ", ".join((*catalog.domains, SYSTEM))
                          + ") or a `requirement` text")
    if "entities" in data:
        given["entities"] = tuple(snake_identifier(e) for e in _strings(data["entities"], "entities", line, 60))
    if "actions" in data:
        given["actions"] = tuple(snake_identifier(a) for a in _strings(data["actions"], "actions", line, 60))
    if "rates" in data:
        given["rates"] = tuple(_rate(item, f"rates[{i}]", line) for i, item in enumerate(_list(data["rates"], "rates", line)))
    if "quantities" in data:
        given.update(_quantities(data["quantities"], line))
    if "consistency" in data:
        given["consistency"] = _choice(data["consistency"], "consistency", _CONSISTENCY, line)
    if "compliance" in data:
        given["compliance"] = tuple(_strings(data["compliance"], "compliance", line, 20))
    if "traffic_hint" in data:
        given["traffic_hint"] = _choice(data["traffic_hint"], "traffic_hint", ("", "high", "low"), line)
    specs = catalog.characteristics
    if "invariants" in data:
        given["invariants"] = tuple(_invariant(item, f"invariants[{i}]", specs, line)
                                    for i, item in enumerate(_list(data["invariants"], "invariants", line)))
    if "unaddressed" in data:
        given["unaddressed"] = tuple(_strings(data["unaddressed"], "unaddressed", line, _MAX_TEXT))
    if "constraints" in data:
        given["constraints"] = tuple(_constraint(item, f"constraints[{i}]", specs, line)
                                     for i, item in enumerate(_list(data["constraints"], "constraints", line)))
    if "workloads" in data:
        known = tuple(b["id"] for b in specs.get("blocks", ())) + SHAPE_BLOCKS
        given["workloads"] = tuple(_workload(item, f"workloads[{i}]", known, line)
                                   for i, item in enumerate(_list(data["workloads"], "workloads", line)))
    if "figures" in data:
        given["figures"] = tuple(_figure(item, f"figures[{i}]", line)
                                 for i, item in enumerate(_list(data["figures"], "figures", line)))
    if "contradictions" in data:
        given["contradictions"] = tuple(_contradiction(item, f"contradictions[{i}]", line)
                                        for i, item in enumerate(_list(data["contradictions"], "contradictions", line)))
    req = replace(base, **given)
    return _with_domain_parts(req, catalog), stack


def _with_domain_parts(req: Requirement, catalog: Catalog) -> Requirement:
    """Operations are those of the catalogued domains; their tables join the entities (as
    when the text is parsed), so adding a domain in the spec brings its whole part."""
    entities = list(req.entities)
    operations: list[str] = []
    for d in (x for x in req.domains if x != SYSTEM):
        spec = domain_spec(catalog, d, req.entities[0] if d == "crud" and req.entities else "")
        entities += [t["name"] for t in spec["tables"] if t["name"] not in entities]
        operations += [op["id"] for op in spec["operations"]]
    return replace(req, entities=tuple(entities), operations=tuple(operations))


def _domains(value: Any, catalog: Catalog, line) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    known = (*catalog.domains, SYSTEM)
    for d in items:
        if not isinstance(d, str) or d not in known:
            hint = difflib.get_close_matches(str(d), known, n=1)
            raise SpecProblem(line("domains"), "domains", f"unknown domain {_show(d)}"
                              + (f" (did you mean {hint[0]!r}?)" if hint else f"; known: {', '.join(known)}"))
    if not items:
        raise SpecProblem(line("domains"), "domains", "must name at least one domain")
    return tuple(items)


def _rate(item: Any, path: str, line) -> RateMention:
    m = _mapping(item, path, line, required=("subject", "count", "period"),
                 optional=("kind", "per_second", "peak", "per_user", "source"))
    period = _choice(m["period"], f"{path}.period", tuple(RATE_SECONDS), line)
    count = _number(m["count"], f"{path}.count", line)
    computed = count / RATE_SECONDS[period]
    given = m.get("per_second")
    per_second = float(given) if isinstance(given, (int, float)) and not isinstance(given, bool) and \
        math.isclose(float(given), computed, rel_tol=1e-9) else computed
    return RateMention(_text(m["subject"], f"{path}.subject", line, 100), _choice(m.get("kind", "total"), f"{path}.kind",
                       _KINDS, line), per_second, period, count, _flag(m.get("peak", False), f"{path}.peak", line),
                       _text(m.get("source", ""), f"{path}.source", line, _MAX_TEXT),
                       _flag(m.get("per_user", False), f"{path}.per_user", line))


def _quantities(value: Any, line) -> dict[str, Quantity]:
    m = _mapping(value, "quantities", line, optional=tuple(QUANTITY_UNITS))
    out = {}
    for name, raw in m.items():
        path = f"quantities.{name}"
        if isinstance(raw, dict):
            entry = _mapping(raw, path, line, required=("value",), optional=("source",))
            number, source = _number(entry["value"], f"{path}.value", line), _text(entry.get("source", ""), path, line, _MAX_TEXT)
        else:
            number, source = _number(raw, path, line), f"{path}: {raw}"
        bound = FIELD_BOUNDS.get(name)
        problem = bound.problem(number) if bound else ""
        if problem:
            raise SpecProblem(line(path), path, problem)
        out[name] = Quantity(number, QUANTITY_UNITS[name], source)
    return out


def _invariant(item: Any, path: str, specs: dict[str, Any], line) -> Invariant:
    m = _mapping(item, path, line, required=("kind",), optional=("phrase", "mechanism", "enforced_in"))
    known = tuple(specs.get("invariants", {}))
    kind = _choice(m["kind"], f"{path}.kind", known, line)
    spec = specs["invariants"][kind]
    phrase = _text(m.get("phrase", ""), f"{path}.phrase", line, _MAX_TEXT)
    if "mechanism" in m:
        return Invariant(kind, phrase, _text(m["mechanism"], f"{path}.mechanism", line, _MAX_TEXT),
                         _text(m.get("enforced_in", spec.get("enforced_in", "")), f"{path}.enforced_in", line, _MAX_TEXT))
    return specialise(Invariant(kind, phrase, spec["mechanism"], spec.get("enforced_in", "")), None, spec)


def _constraint(item: Any, path: str, specs: dict[str, Any], line) -> Constraint:
    m = _mapping(item, path, line, required=("kind", "value"), optional=("phrase", "consequence"))
    kind = _choice(m["kind"], f"{path}.kind", tuple(specs.get("constraints", {})), line)
    default = specs["constraints"][kind]["consequence"]
    return Constraint(kind, _text(m["value"], f"{path}.value", line, 100), _text(m.get("phrase", ""), f"{path}.phrase",
                      line, _MAX_TEXT), _text(m.get("consequence", default), f"{path}.consequence", line, _MAX_TEXT))


def _workload(item: Any, path: str, known: tuple[str, ...], line) -> tuple[str, str]:
    m = _mapping(item, path, line, required=("shape",), optional=("named_by",))
    shape = _choice(m["shape"], f"{path}.shape", known, line)
    return shape, _text(m.get("named_by", shape.replace("_", " ")), f"{path}.named_by", line, 200)


def _figure(item: Any, path: str, line) -> StatedFigure:
    m = _mapping(item, path, line, required=("phrase", "value"), optional=("unit", "meaning", "used"))
    return StatedFigure(_number(m["value"], f"{path}.value", line), _text(m.get("unit", "count"), f"{path}.unit", line, 20),
                        _text(m["phrase"], f"{path}.phrase", line, _MAX_TEXT),
                        _text(m.get("meaning", ""), f"{path}.meaning", line, 200), _flag(m.get("used", False), path, line))


def _contradiction(item: Any, path: str, line) -> Contradiction:
    m = _mapping(item, path, line, required=("message",), optional=("sources",))
    return Contradiction(_text(m["message"], f"{path}.message", line, _MAX_TEXT),
                         tuple(_strings(m.get("sources", []), f"{path}.sources", line, _MAX_TEXT)))


def _mapping(value: Any, path: str, line, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        raise SpecProblem(line(path), path, f"must be a mapping with {', '.join(required or optional)}, not {_kind(value)}")
    for key in value:
        if key not in required + optional:
            hint = difflib.get_close_matches(str(key), required + optional, n=1)
            raise SpecProblem(line(f"{path}.{key}"), f"{path}.{key}", "unknown field"
                              + (f" (did you mean '{hint[0]}'?)" if hint else f"; fields: {', '.join(required + optional)}"))
    for key in required:
        if key not in value:
            raise SpecProblem(line(path), path, f"needs `{key}`")
    return value


def _list(value: Any, path: str, line) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SpecProblem(line(path), path, f"must be a list, not {_kind(value)}")
    if len(value) > _MAX_ITEMS:
        raise SpecProblem(line(path), path, f"has {len(value)} items; the limit is {_MAX_ITEMS}")
    return value


def _strings(value: Any, path: str, line, max_chars: int) -> list[str]:
    items = _list(value if isinstance(value, list) else [value], path, line)
    return [_text(v, path, line, max_chars) for v in items]


def _text(value: Any, path: str, line, max_chars: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SpecProblem(line(path), path, f"must be text, not {_kind(value)}")
    if len(value) > max_chars:
        raise SpecProblem(line(path), path, f"is {len(value):,} characters; the limit is {max_chars:,}")
    return value


def _number(value: Any, path: str, line) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecProblem(line(path), path, f"must be a number, not {_kind(value)}")
    if isinstance(value, int) and abs(value) > MAX_NUMBER or not math.isfinite(float(value)) or abs(float(value)) > MAX_NUMBER:
        raise SpecProblem(line(path), path, "the number is too large to be meaningful")
    if value < 0:
        raise SpecProblem(line(path), path, f"must not be negative (got {value:g})")
    return float(value)


def _flag(value: Any, path: str, line) -> bool:
    if not isinstance(value, bool):
        raise SpecProblem(line(path), path, f"must be true or false, not {_kind(value)}")
    return value


def _choice(value: Any, path: str, allowed: tuple[str, ...], line) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or value not in allowed:
        hint = difflib.get_close_matches(str(value), [a for a in allowed if a], n=1)
        shown = ", ".join(repr(a) for a in allowed) if len(allowed) <= 12 else f"{len(allowed)} known values"
        raise SpecProblem(line(path), path, f"unknown {_show(value)}" + (f" (did you mean {hint[0]!r}?)" if hint else f"; one of {shown}"))
    return value


def _kind(v: Any) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return "a boolean"
    return {dict: "a mapping", list: "a list", int: "a number", float: "a number", str: "text"}.get(type(v), "a value")


def _show(v: Any) -> str:
    if isinstance(v, (dict, list)):
        return _kind(v)
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def field_names() -> tuple[str, ...]:
    """Every Requirement field the spec can set (for the documentation test)."""
    return tuple(f.name for f in fields(Requirement))


_PLAIN = (str, int, float, bool, type(None))


def data_and_lines(node: yaml.Node, path: str = "", lines: dict[str, int] | None = None) -> tuple[Any, dict[str, int]]:
    """Plain data from a composed (budget-checked) YAML node, and the line of every path
    ("rates[0].count" -> 14), so a message can point at the line to fix."""
    lines = {} if lines is None else lines
    if path:
        lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SpecProblem(key_node.start_mark.line + 1, path, "keys must be plain field names")
            key = key_node.value
            child = f"{path}.{key}" if path else key
            lines[child] = key_node.start_mark.line + 1
            out[key], _ = data_and_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
        return out, lines
    if isinstance(node, yaml.SequenceNode):
        return [data_and_lines(child, f"{path}[{i}]", lines)[0] for i, child in enumerate(node.value)], lines
    try:
        value = yaml.safe_load(yaml.serialize(node))
    except yaml.YAMLError:
        raise SpecProblem(node.start_mark.line + 1, path, "unsupported YAML tag; write a plain number or text") from None
    if not isinstance(value, _PLAIN):
        raise SpecProblem(node.start_mark.line + 1, path, f"must be a number or text, not a YAML {type(value).__name__}")
    return value, lines
