"""spec.yaml -> Requirement, with errors that name the line and the field.

The YAML form mirrors the requirement model (documented in docs/design-spec.md). Values
may be numbers or strings in any form the text parser understands ("2M payments/day",
"20 MB", "7 years"); a free-text `requirement` fills whatever the fields leave out.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import replace
from typing import Any

import yaml

from servicelens.design.bounds import FIELD_BOUNDS, RATE, requirement_problems
from servicelens.design.catalog import Catalog, domain_spec
from servicelens.design.contradictions import find_contradictions
from servicelens.design.measures import DURATION_S, SIZE_UNITS, _DUR_RE, _SIZE_RE, duration_unit
from servicelens.design.measures import Measures
from servicelens.design.rates import extract_rates
from servicelens.design.requirement import parse_requirement
from servicelens.design.text import normalise, numbers
from servicelens.design.text_guard import MAX_NUMBER, UnreadableText, check_numbers, check_raw, well_formed
from servicelens.model.design import Quantity, RateMention, Requirement
from servicelens.sources.yaml_budget import YamlBudgetError, compose_checked

SCHEMA = {
    "version": None, "requirement": None, "domains": None, "entity": None, "stack": None,
    "consistency": None, "compliance": None,
    "traffic": {"writes": None, "reads": None, "requests": None, "read_write_ratio": None, "peak_factor": None,
                "daily_active_users": None, "monthly_active_users": None, "total_users": None, "fanout": None},
    "data": {"record_size": None, "media_size": None, "media_fraction": None, "retention": None, "query_chars": None},
    "targets": {"latency_p99_ms": None, "latency_p50_ms": None, "availability": None},
}
_CONSISTENCY = ("exactly-once", "strong", "eventual")
_COMPLIANCE = ("PCI-DSS", "GDPR", "HIPAA", "SOC2", "SOX", "PII")


class SpecError(ValueError):
    """A malformed spec: `line` is 1-based, `field` a dotted path."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"line {line}: {field}: {message}" if field else f"line {line}: {message}")
        self.line, self.field = line, field


def load_spec(text: str, catalog: Catalog) -> tuple[Requirement, str]:
    """(requirement, stack named in the spec or '')."""
    try:
        root = compose_checked(text)
    except YamlBudgetError as exc:
        raise SpecError(exc.line, "", exc.message) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SpecError(mark.line + 1 if mark else 1, "", f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise SpecError(1, "", "the spec must be a mapping with at least `version: 1` and `domains` or `requirement`")
    if _version_node(root) in ("2",):
        return _full(root, catalog)
    values = _walk(root, SCHEMA, "")
    version = values.get("version", (None, 0))[0]
    if isinstance(version, bool) or version not in (1, "1"):
        line = values.get("version", (None, 1))[1]
        raise SpecError(line, "version", "must be 1 (the short spec) or 2 (the full spec)")
    stack = _string(values, "stack", max_chars=40) if "stack" in values else ""
    return _requirement(values, catalog), stack


def _version_node(root: yaml.MappingNode) -> str:
    return next((v.value for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "version"
                 and isinstance(v, yaml.ScalarNode)), "")


def _full(root: yaml.MappingNode, catalog: Catalog) -> tuple[Requirement, str]:
    """A version-2 spec: everything the requirement model holds (design/spec_full.py)."""
    from servicelens.design.spec_full import SpecProblem, data_and_lines, requirement_from_spec
    try:
        data, lines = data_and_lines(root)
        req, stack = requirement_from_spec(data, lines, catalog)
    except SpecProblem as exc:
        raise SpecError(exc.line, exc.field, exc.message) from None
    problems = requirement_problems(req)
    if problems:
        raise SpecError(1, "", problems[0].message())
    return req, stack


def _walk(node: yaml.MappingNode, schema: dict, prefix: str) -> dict[str, tuple[Any, int]]:
    out: dict[str, tuple[Any, int]] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise SpecError(line, prefix.rstrip("."), "keys must be plain field names, not a list or mapping")
        key = key_node.value
        path = f"{prefix}{key}"
        if key not in schema:
            hint = difflib.get_close_matches(key, list(schema), n=1)
            shown = path if len(path) <= 60 else path[:57] + "..."
            raise SpecError(line, shown, "unknown field" + (f" (did you mean '{prefix}{hint[0]}'?)" if hint else ""))
        sub = schema[key]
        if isinstance(sub, dict):
            if not isinstance(value_node, yaml.MappingNode):
                raise SpecError(value_node.start_mark.line + 1, path, "must be a mapping")
            out.update(_walk(value_node, sub, path + "."))
        else:
            out[path] = (_plain(value_node, path), value_node.start_mark.line + 1)
    return out


_PLAIN_TYPES = (str, int, float, bool, type(None))


def _plain(node: yaml.Node, path: str, depth: int = 0) -> Any:
    """A field's value: a scalar, or a list of scalars. Anything deeper only needs to be
    recognised as the wrong type, so it is never built (no recursion, no alias blow-up)."""
    if isinstance(node, yaml.ScalarNode):
        line = node.start_mark.line + 1
        try:
            value = yaml.safe_load(yaml.serialize(node))
        except yaml.YAMLError:
            raise SpecError(line, path, f"unsupported YAML tag {node.tag[:40]!r}; write a plain number or text") from None
        if not isinstance(value, _PLAIN_TYPES):
            raise SpecError(line, path, f"must be a number or text, not a YAML {type(value).__name__}")
        return well_formed(value) if isinstance(value, str) else value
    if isinstance(node, yaml.SequenceNode) and depth == 0:
        return [_plain(child, path, 1) for child in node.value]
    return [] if isinstance(node, yaml.SequenceNode) else {}


def _requirement(values: dict[str, tuple[Any, int]], catalog: Catalog) -> Requirement:
    text = _string(values, "requirement") if "requirement" in values else ""
    line = values.get("requirement", (None, 1))[1]
    try:
        base = parse_requirement(text, catalog)
    except UnreadableText as exc:
        raise SpecError(line, "requirement", str(exc)) from None
    problems = requirement_problems(base)
    if problems:
        raise SpecError(line, "requirement", problems[0].message())
    domains = _domains(values, catalog) or base.domains
    if not domains:
        raise SpecError(1, "domains", "give `domains` (" + ", ".join(catalog.domains) + ") or a `requirement` text")
    entity = _string(values, "entity", max_chars=200) if "entity" in values else ""
    entities, operations = [], []
    for d in domains:
        spec = domain_spec(catalog, d, entity or (base.entities[0] if d == "crud" and base.entities else ""))
        entities += [t["name"] for t in spec["tables"]]
        operations += [op["id"] for op in spec["operations"]]
    fields: dict[str, Any] = {"domains": domains, "entities": tuple(entities), "operations": tuple(operations)}
    rates = list(base.rates)
    for kind, key in (("write", "traffic.writes"), ("read", "traffic.reads"), ("total", "traffic.requests")):
        if key in values:
            rates = [r for r in rates if r.kind != kind] + [_rate(values[key], key, kind, catalog)]
    fields["rates"] = tuple(rates)
    for key, field, parse in _SCALARS:
        if key in values:
            fields[field] = parse(values[key], key, field)
    if "consistency" in values:
        v, line = values["consistency"]
        if not isinstance(v, str) or v not in _CONSISTENCY:
            raise SpecError(line, "consistency", f"must be one of {', '.join(_CONSISTENCY)}")
        fields["consistency"] = v
    if "compliance" in values:
        v, line = values["compliance"]
        items = v if isinstance(v, list) else [v]
        bad = [x for x in items if not isinstance(x, str) or x not in _COMPLIANCE]
        if bad:
            raise SpecError(line, "compliance", f"unknown {_show(bad[0])}; known: {', '.join(_COMPLIANCE)}")
        fields["compliance"] = tuple(str(x) for x in items)
    req = replace(base, **fields)
    return replace(req, contradictions=find_contradictions(req))


def _domains(values, catalog: Catalog) -> tuple[str, ...]:
    if "domains" not in values:
        return ()
    v, line = values["domains"]
    items = v if isinstance(v, list) else [v]
    for d in items:
        if not isinstance(d, str):
            raise SpecError(line, "domains", f"must be a domain name or a list of them, not {_kind(d)}")
        if d not in catalog.domains:
            hint = difflib.get_close_matches(str(d), list(catalog.domains), n=1)
            raise SpecError(line, "domains", f"unknown domain {_show(d)}" + (f" (did you mean {hint[0]!r}?)" if hint else ""))
    return tuple(items)


def _rate(entry: tuple[Any, int], key: str, kind: str, catalog: Catalog) -> RateMention:
    v, line = entry
    expected = "a number per second or a string like '2M payments/day'"
    if _checked_number(entry, key, expected) is not None:
        rate = float(v)
        _within(RATE, rate, line, key)
        return RateMention(kind, kind, rate, "second", rate, False, f"{key}: {v}")
    text = _checked_text(entry, key)
    if re.fullmatch(r"\s*[\d.,]+(?:e\d+)?\s*[kmb]?\s*", text, re.I):
        text += " events per second"
    text = re.sub(r"^(\s*[\d.]+\s*(?:k|m|b|thousand|million|billion)?)\s*(?=/|per\b)", r"\1 events ", text, flags=re.I)
    found = extract_rates(text, numbers(text), Measures(), catalog.vocabulary)
    if not found:
        raise SpecError(line, key, f"cannot read {v!r} as a rate (write e.g. '2M payments/day', '500/s' or a number per second)")
    r = found[0]
    _within(RATE, r.per_second, line, key)
    return replace(r, kind=kind, per_user=False, source=f"{key}: {v}")


def _number(entry: tuple[Any, int], key: str, unit: str = "") -> float:
    v, line = entry
    given = _checked_number(entry, key, "a number")
    if given is not None:
        return given
    nums = numbers(_checked_text((str(v).replace("%", " "), line), key))
    if not nums:
        raise SpecError(line, key, f"cannot read {v!r} as a number")
    return nums[0].value


def _size(entry, key, field) -> Quantity:
    v, line = entry
    given = _checked_number(entry, key, "a size like '2 KB' or a number of bytes")
    if given is not None:
        return Quantity(_within(FIELD_BOUNDS[field], given, line, key), "B", f"{key}: {v} B")
    text = _checked_text(entry, key)
    nums = numbers(text)
    m = _SIZE_RE.match(text, nums[0].end) if nums else None
    if not m or m.group(1).lower() in ("characters", "chars"):
        raise SpecError(line, key, f"cannot read {_show(v)} as a size (write e.g. '2 KB', '20 MB')")
    value = nums[0].value * SIZE_UNITS[m.group(1).lower()]
    return Quantity(_within(FIELD_BOUNDS[field], value, line, key), "B", f"{key}: {v}")


def _duration(entry, key, field) -> Quantity:
    v, line = entry
    if isinstance(v, (bool, list, dict)) or v is None:
        raise SpecError(line, key, f"must be a duration like '7 years', not {_kind(v)}")
    text = _checked_text(entry, key)
    nums = numbers(text)
    m = _DUR_RE.match(text, nums[0].end) if nums else None
    if not m:
        raise SpecError(line, key, f"cannot read {_show(v)} as a duration (write e.g. '7 years', '90 days')")
    value = nums[0].value * DURATION_S[duration_unit(m.group(1))]
    return Quantity(_within(FIELD_BOUNDS[field], value, line, key), "s", f"{key}: {v}")


def _q(unit: str, lo: float = 0, hi: float = float("inf")):
    def parse(entry, key, field):
        value = _number(entry, key)
        if not lo <= value <= hi:
            raise SpecError(entry[1], key, f"must be between {lo:g} and {hi:g} (got {value:g})")
        return Quantity(_within(FIELD_BOUNDS[field], value, entry[1], key), unit, f"{key}: {entry[0]}")
    return parse


_MAX_FIELD_CHARS = 200


def _kind(v: Any) -> str:
    """How a wrong value reads in a message: its YAML type, not its (maybe huge) content."""
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return f"a boolean ({str(v).lower()})"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, (int, float)):
        return "a number"
    return "a string"


def _show(v: Any) -> str:
    """A value for a message, cut short: a hostile spec can hold megabytes in one field."""
    if isinstance(v, (dict, list)):
        return _kind(v)
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _string(values: dict[str, tuple[Any, int]], key: str, max_chars: int = 0) -> str:
    v, line = values[key]
    if v is None:
        return ""
    if not isinstance(v, str):
        raise SpecError(line, key, f"must be a string, not {_kind(v)}")
    if max_chars and len(v) > max_chars:
        raise SpecError(line, key, f"is {len(v):,} characters; the limit is {max_chars}")
    return v


def _checked_number(entry: tuple[Any, int], key: str, expected: str) -> float | None:
    """The value as a float when YAML gave a number (after the checks), None for a string.

    Integers are compared before conversion: float() of a 400-digit integer overflows."""
    v, line = entry
    if v is None or isinstance(v, (bool, list, dict)):
        raise SpecError(line, key, f"must be {expected}, not {_kind(v)}")
    if isinstance(v, int):
        if abs(v) > MAX_NUMBER:
            raise SpecError(line, key, f"the number has {len(str(abs(v)))} digits; it is too large to be meaningful")
    elif isinstance(v, float):
        if not math.isfinite(v):
            raise SpecError(line, key, f"must be a finite number, not {v}")
    else:
        return None
    if v < 0:
        raise SpecError(line, key, f"must not be negative (got {v:g})")
    return float(v)


def _checked_text(entry: tuple[Any, int], key: str) -> str:
    """A string value, normalised, after the same checks the requirement text gets."""
    v, line = entry
    raw = str(v)
    if len(raw) > _MAX_FIELD_CHARS:
        raise SpecError(line, key, f"is {len(raw):,} characters; the limit is {_MAX_FIELD_CHARS}")
    try:
        check_raw(raw)
        text = normalise(raw)
        check_numbers(text, numbers(text))
    except UnreadableText as exc:
        raise SpecError(line, key, str(exc)) from None
    return text


def _within(bound, value: float, line: int, key: str) -> float:
    problem = bound.problem(value)
    if problem:
        raise SpecError(line, key, problem)
    return value


_SCALARS = (
    ("traffic.read_write_ratio", "read_write_ratio", _q("x", 0.0001)),
    ("traffic.peak_factor", "peak_factor", _q("x", 1, 100)),
    ("traffic.daily_active_users", "daily_active_users", _q("users")),
    ("traffic.monthly_active_users", "monthly_active_users", _q("users")),
    ("traffic.total_users", "total_users", _q("users")),
    ("traffic.fanout", "fanout", _q("count")),
    ("data.record_size", "record_bytes", _size),
    ("data.media_size", "media_bytes", _size),
    ("data.media_fraction", "media_fraction", _q("x", 0, 1)),
    ("data.retention", "retention", _duration),
    ("data.query_chars", "query_chars", _q("count", 1, 1000)),
    ("targets.latency_p99_ms", "latency_p99_ms", _q("ms", 1)),
    ("targets.latency_p50_ms", "latency_p50_ms", _q("ms", 1)),
    ("targets.availability", "availability_pct", _q("%", 50, 99.9999)),
)
