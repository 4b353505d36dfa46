"""Where a value comes from limits what it can carry: the origin of request data as a model.

A source is more than "the client chose it": a header value cannot hold a line break (servers
refuse one), a path this site routed to cannot name another host. `source_origin` starts every
modelled source with the sink kinds its input can never exploit already cleared
(models/vocabulary/carriers.yaml), so each sink judges only what really reaches it, and no
rule keeps its own word list of "harmless" inputs.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from servicelens.taint.kinds import SINK_KINDS
from servicelens.taint.values import Origin
from servicelens.packaged_yaml import packaged_yaml

@lru_cache(maxsize=1)
def cannot_reach() -> Mapping[str, frozenset[str]]:
    text = resources.files("servicelens.models").joinpath("vocabulary", "carriers.yaml").read_text("utf-8")
    raw = (packaged_yaml(text) or {}).get("cannot_reach") or {}
    table = {}
    for label, kinds in raw.items():
        unknown = set(kinds) - SINK_KINDS
        if unknown:
            raise ValueError(f"carriers.yaml: {label}: unknown sink kind(s) {sorted(unknown)}")
        table[str(label)] = frozenset(kinds)
    return MappingProxyType(table)


@lru_cache(maxsize=1)
def request_bound_classes() -> Mapping[str, str]:
    """Library classes whose instances read the current request themselves (carriers.yaml
    `request_bound_classes`): class -> the source label of what they hold."""
    text = resources.files("servicelens.models").joinpath("vocabulary", "carriers.yaml").read_text("utf-8")
    raw = (packaged_yaml(text) or {}).get("request_bound_classes") or {}
    return MappingProxyType({str(cls): str(label) for cls, label in raw.items()})


def source_origin(kind: str, label: str, line: int) -> Origin:
    """A source's origin, already cleared for the sinks its kind of input cannot reach."""
    origin = Origin(("src", kind, label, line))
    cleared = cannot_reach().get(label)
    return origin.cleanse(cleared) if cleared else origin


@lru_cache(maxsize=1)
def _plain_mappings() -> frozenset[str]:
    text = resources.files("servicelens.models").joinpath("vocabulary", "carriers.yaml").read_text("utf-8")
    return frozenset(str(label) for label in (packaged_yaml(text) or {}).get("plain_mappings") or ())


def plain_mapping(label: str) -> bool:
    """An input handed over as a plain dict (carriers.yaml `plain_mappings`): formatted whole, its
    members are written by repr()."""
    return label in _plain_mappings()


# what a value the router keeps in one URL segment cannot do: hold the `/` a path walk needs
SEGMENT_CLEARS = frozenset({"path-traversal"})


def param_source_text(label: str, name: str) -> str:
    """What a handler parameter's source step says; `param_source_name` reads the name back."""
    return f"{label} `{name}` comes from the client"


_PARAM_SOURCE = re.compile(r"`(\w+)` comes from the client$")


def param_source_name(text: str) -> str | None:
    """The parameter a source step written by `param_source_text` names, or None."""
    found = _PARAM_SOURCE.search(text)
    return found.group(1) if found else None


@lru_cache(maxsize=1)
def _named_headers() -> Mapping[str, str]:
    text = resources.files("servicelens.models").joinpath("vocabulary", "carriers.yaml").read_text("utf-8")
    raw = (packaged_yaml(text) or {}).get("named_headers") or {}
    return MappingProxyType({_header_key(str(name)): str(label) for name, label in raw.items()})


def _header_key(name: str) -> str:
    return name.lower().replace("-", "_")


GENERIC_HEADERS = "request header"


def narrow_header(value_taint: frozenset[Origin], name: object) -> frozenset[Origin]:
    """`request.META["HTTP_REFERER"]`: what was read from the generic header mapping is the
    named header's input, cleared for what that header cannot reach (a Referer cannot choose a
    redirect target). Other origins are left as they are."""
    label = _named_headers().get(_header_key(name)) if isinstance(name, str) else None
    cleared = cannot_reach().get(label) if label else None
    if not cleared:
        return value_taint
    return frozenset(origin.cleanse(cleared) if origin.base[:1] == ("src",) and len(origin.base) > 2
                     and origin.base[2] == GENERIC_HEADERS else origin for origin in value_taint)


@lru_cache(maxsize=1)
def _server_fields() -> Mapping[str, frozenset[str]]:
    text = resources.files("servicelens.models").joinpath("vocabulary", "carriers.yaml").read_text("utf-8")
    raw = (packaged_yaml(text) or {}).get("server_fields") or {}
    return MappingProxyType({str(label): frozenset(map(str, fields)) for label, fields in raw.items()})


def narrow_field(value_taint: frozenset[Origin], name: str) -> frozenset[Origin]:
    """`req.file.path`: a field the server fills in on an input (multer's saved path) carries none of
    the client's input; the origins of that input are dropped, any other is kept."""
    fields = _server_fields()
    return frozenset(origin for origin in value_taint
                     if not (origin.base[:1] == ("src",) and len(origin.base) > 2
                             and name in fields.get(str(origin.base[2]), frozenset())))
