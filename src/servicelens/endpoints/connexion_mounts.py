"""OpenAPI documents that a configuration file, not the code, hands to Connexion.

    api:                                   # a YAML/JSON settings file of the project
      specs:
        - path: [api/orders.openapi.yaml]
          add_operation_fields:
            x-openapi-router-controller: shop.api.controllers
          connexion: {base_path: /shop/v1}
          disable_auth: true

Frameworks built on Connexion (and deployment settings for `add_api`) name the spec files,
the controller module bare operationIds resolve against, the base path the API is served
below and whether its security is enforced. A mapping of such a file that names a project
OpenAPI document mounts it with what its subtree says: its operations are served at
`base_path + path` by `controller.operationId`. Documents no configuration names are left
as they are (served as written, or not at all).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Iterator, Protocol, Sequence

import yaml

from servicelens.contracts.operations import CONTROLLER_KEY, Operation, connexion_handler

_BASE_PATH_KEYS = ("base_path", "basePath")
_AUTH_OFF_KEYS = ("disable_auth", "disable_security")
_OPERATION_ID = re.compile(r"""operationId["']?\s*:\s*["']?([A-Za-z_][\w.]*)""")


class Text(Protocol):
    rel: str
    text: str


@dataclass(frozen=True, slots=True)
class ApiMount:
    spec: str  # project-relative path of the OpenAPI document
    controller: str  # module bare operationIds are functions of ("" none given)
    base_path: str | None  # served below this path instead of the document's servers/basePath
    auth_disabled: bool  # the configuration turns the document's security off
    config: str  # the configuration file that says so


def api_mounts(data_files: Sequence[Text], spec_rels: Sequence[str]) -> tuple[ApiMount, ...]:
    """Every (configuration mapping, OpenAPI document it names) of the project."""
    found: list[ApiMount] = []
    for data in data_files:
        if CONTROLLER_KEY not in data.text and not any(PurePosixPath(s).name in data.text for s in spec_rels):
            continue
        try:
            loaded = list(yaml.safe_load_all(data.text)) if not data.rel.endswith(".json") else [json.loads(data.text)]
        except (yaml.YAMLError, ValueError):
            continue
        for document in loaded:
            for mapping in _mappings(document):
                found.extend(_mounts_of(mapping, data.rel, spec_rels))
    return tuple(dict.fromkeys(found))


def _mappings(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _mappings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _mappings(value)


def _mounts_of(mapping: dict, config: str, spec_rels: Sequence[str]) -> list[ApiMount]:
    """The documents this mapping names in its own values, with its subtree's settings."""
    named = [spec for value in mapping.values() for text in _strings(value)
             if (spec := _spec_named(text, config, spec_rels))]
    if not named:
        return []
    controller = next((str(v) for v in _values(mapping, (CONTROLLER_KEY,)) if isinstance(v, str)), "")
    base = next((str(v) for v in _values(mapping, _BASE_PATH_KEYS) if isinstance(v, str) and v.startswith("/")), None)
    auth_off = any(v is True for v in _values(mapping, _AUTH_OFF_KEYS))
    return [ApiMount(spec, controller, base.rstrip("/") if base is not None else None, auth_off, config)
            for spec in dict.fromkeys(named)]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _values(node: Any, keys: tuple[str, ...]) -> Iterator[Any]:
    for mapping in _mappings(node):
        for key in keys:
            if key in mapping:
                yield mapping[key]


def _spec_named(text: str, config: str, spec_rels: Sequence[str]) -> str:
    """The OpenAPI document a path in a configuration file names: relative to the file's
    directory, else to the project root, else by its trailing components."""
    written = text.strip().lstrip("./")
    if not written or "\n" in written or not written.endswith((".yaml", ".yml", ".json")):
        return ""
    beside = str(PurePosixPath(config).parent / written)
    for spec in spec_rels:
        if spec in (beside, written):
            return spec
    tails = [spec for spec in spec_rels if spec.endswith("/" + written)]
    return tails[0] if len(tails) == 1 else ""


def mounted_operations(operations: Sequence[Operation], mounts: Sequence[ApiMount]) -> tuple[Operation, ...]:
    """Operations as the configuration serves them: the controller's function, below the
    configured base path, without security where the configuration turns it off."""
    by_spec = {mount.spec: mount for mount in mounts}
    out = []
    for operation in operations:
        mount = by_spec.get(operation.rel)
        if mount is None:
            out.append(operation)
            continue
        handler = operation.handler if "." in operation.handler or not mount.controller \
            else connexion_handler(mount.controller, operation.op_id)
        full_path = mount.base_path + operation.path if mount.base_path is not None else operation.full_path
        out.append(replace(operation, handler=handler, full_path=full_path,
                           security=None if mount.auth_disabled else operation.security))
    return tuple(out)


def configured_handlers(sources: Sequence[Text], spec_kind: str = "openapi") -> frozenset[str]:
    """Dotted handler names configuration files give bare operationIds (`controller.id`), so
    the per-file phase knows those functions are Connexion handlers."""
    specs = [s for s in sources if getattr(s, "kind", "") == spec_kind]
    data = [s for s in sources if getattr(s, "kind", "") == "data"]
    found = {name for spec in specs if CONTROLLER_KEY in spec.text for name in _in_document_handlers(spec)}
    if not specs or not data:
        return frozenset(found)
    mounts = api_mounts(data, [s.rel for s in specs])
    texts = {s.rel: s.text for s in specs}
    found.update(connexion_handler(m.controller, op_id) for m in mounts if m.controller
                 for op_id in _OPERATION_ID.findall(texts.get(m.spec, "")))
    return frozenset(found)


def _in_document_handlers(spec: Text) -> list[str]:
    """`x-openapi-router-controller` on a path item or an operation of the document itself."""
    try:
        document = json.loads(spec.text) if spec.rel.endswith(".json") else yaml.safe_load(spec.text)
    except (yaml.YAMLError, ValueError):
        return []
    paths = document.get("paths") if isinstance(document, dict) else None
    found = []
    for item in paths.values() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for operation in item.values():
            if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
                controller = operation.get(CONTROLLER_KEY) or item.get(CONTROLLER_KEY)
                if isinstance(controller, str):
                    found.append(connexion_handler(controller, operation["operationId"]))
    return found
