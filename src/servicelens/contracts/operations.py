"""OpenAPI operations as typed, line-aware records (2.0, 3.0 and 3.1 alike).

    OpenApiDoc --operations_of--> Operation(method, path, security, params, bodies, responses)

Differences between the versions are absorbed here (2.0 `basePath`/`securityDefinitions`/
body parameters/`schema` on responses vs 3.x `servers`/`components`/`requestBody`/
`content`) so the checks never branch on the version.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from servicelens.contracts.refs import OpenApiDoc, Resolver, Target
from servicelens.infra.yamldoc import YNode

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CONTROLLER_KEY = "x-openapi-router-controller"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    where: str  # query | path | header | cookie | body | formData
    schema: Target | None  # for 2.0 non-body parameters, the parameter itself
    node: Target  # the (resolved) parameter object


@dataclass(frozen=True, slots=True)
class Response:
    code: str
    rel: str  # the file holding the response key (an operation may live in a $ref'd file)
    line: int
    node: Target
    schemas: tuple[tuple[str, Target], ...]  # (media type, schema)
    headers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    rel: str
    method: str  # upper case
    path: str  # as written in the contract
    full_path: str  # with the base path of the first server / basePath
    line: int  # line of the method key
    node: YNode
    op_id: str
    security: tuple[tuple[str, ...], ...] | None  # alternatives of scheme names; None: nothing declared
    explicit_security: bool  # the operation itself sets `security`
    params: tuple[Param, ...]
    bodies: tuple[tuple[str, Target], ...]  # (media type, schema) of the request body
    responses: tuple[Response, ...]
    # the dotted function Connexion calls: `x-openapi-router-controller` (on the operation or
    # its path item) before a bare operationId, else the operationId itself
    handler: str = ""

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def anonymous_allowed(self) -> bool:
        """No requirement, an empty list, or an empty alternative (`{}`) lets anyone call it."""
        return self.security is None or not self.security or any(not alt for alt in self.security)


def base_path(doc: OpenApiDoc) -> str:
    if doc.is_swagger:
        value = doc.root.get("basePath")
        return ((value.text() if value is not None else "") or "").rstrip("/")
    servers = doc.root.get("servers")
    first = servers.items()[0] if servers is not None and servers.items() else None
    url = (first.get("url").text() or "") if first is not None and first.get("url") is not None else ""
    path = urlparse(url).path if "://" in url else url
    return re.sub(r"\{[^}]*\}", "", path).rstrip("/") if path.startswith("/") else ""


def _security(node: YNode | None) -> tuple[tuple[str, ...], ...] | None:
    if node is None or not node.is_seq:
        return None
    return tuple(tuple(k for k, _, _ in item.entries()) for item in node.items())


def operations_of(doc: OpenApiDoc, resolver: Resolver) -> list[Operation]:
    paths = doc.root.get("paths")
    if paths is None or not paths.is_map:
        return []
    global_security = _security(doc.root.get("security"))
    prefix = base_path(doc)
    out: list[Operation] = []
    for path, _, raw_item in paths.entries():
        item = resolver.resolve(raw_item, doc.rel)
        if not item.node.is_map or not path.startswith("/"):
            continue
        shared = _params(item.node.get("parameters"), item.rel, resolver)
        for method, key, raw_op in item.node.entries():
            if method.lower() not in HTTP_METHODS or not raw_op.is_map:
                continue
            # Not in the spec, but common (Redocly split layouts): the operation itself is a $ref.
            target = resolver.resolve(raw_op, item.rel)
            op, op_rel = target.node, target.rel
            if not op.is_map:
                continue
            own = _params(op.get("parameters"), op_rel, resolver)
            names = {(p.name, p.where) for p in own}
            params = tuple(own + [p for p in shared if (p.name, p.where) not in names])
            sec_node = op.get("security")
            op_id = op.get("operationId")
            controller = _text_of(op.get(CONTROLLER_KEY)) or _text_of(item.node.get(CONTROLLER_KEY))
            out.append(Operation(
                rel=item.rel, method=method.upper(), path=path, full_path=prefix + path, line=key.line,
                node=op, op_id=(op_id.text() or "") if op_id is not None else "",
                security=_security(sec_node) if sec_node is not None else global_security,
                explicit_security=sec_node is not None, params=params,
                bodies=_bodies(doc, op, params, op_rel, resolver),
                responses=_responses(doc, op, op_rel, resolver),
                handler=connexion_handler(controller, _text_of(op_id)),
            ))
    return out


def connexion_handler(controller: str, op_id: str) -> str:
    """Connexion's resolution: a bare operationId is a function of the controller module."""
    if not op_id:
        return ""
    return f"{controller}.{op_id}" if controller and not op_id.startswith(controller + ".") else op_id


def _text_of(node: YNode | None) -> str:
    return (node.text() or "").strip() if node is not None else ""


def _params(node: YNode | None, rel: str, resolver: Resolver) -> list[Param]:
    out: list[Param] = []
    for raw in node.items() if node is not None else []:
        target = resolver.resolve(raw, rel)
        p = target.node
        if not p.is_map or p.get("name") is None:
            continue
        where = (p.get("in").text() or "") if p.get("in") is not None else ""
        schema_node = p.get("schema")
        if schema_node is not None:
            schema: Target | None = resolver.resolve(schema_node, target.rel)
        elif p.get("content") is not None:
            media = next(iter(p.get("content").entries()), None)  # type: ignore[union-attr]
            inner = media[2].get("schema") if media is not None else None
            schema = resolver.resolve(inner, target.rel) if inner is not None else None
        else:
            schema = target if p.get("type") is not None else None  # 2.0: the parameter is the schema
        out.append(Param(p.get("name").text() or "", where, schema, target))  # type: ignore[union-attr]
    return out


def _bodies(doc: OpenApiDoc, op: YNode, params: tuple[Param, ...], rel: str,
            resolver: Resolver) -> tuple[tuple[str, Target], ...]:
    if doc.is_swagger:
        return tuple(("application/json", p.schema) for p in params if p.where == "body" and p.schema is not None)
    raw = op.get("requestBody")
    if raw is None:
        return ()
    body = resolver.resolve(raw, rel)
    return _content_schemas(body, resolver)


def _content_schemas(target: Target, resolver: Resolver) -> tuple[tuple[str, Target], ...]:
    content = target.node.get("content")
    out = []
    for media, _, value in content.entries() if content is not None else []:
        schema = value.get("schema") if value.is_map else None
        if schema is not None:
            out.append((media, resolver.resolve(schema, target.rel)))
    return tuple(out)


def _responses(doc: OpenApiDoc, op: YNode, rel: str, resolver: Resolver) -> tuple[Response, ...]:
    node = op.get("responses")
    out = []
    for code, key, raw in node.entries() if node is not None else []:
        target = resolver.resolve(raw, rel)
        if not target.node.is_map:
            continue
        if doc.is_swagger:
            schema = target.node.get("schema")
            schemas = (("application/json", resolver.resolve(schema, target.rel)),) if schema is not None else ()
        else:
            schemas = _content_schemas(target, resolver)
        headers = target.node.get("headers")
        names = tuple(k.lower() for k, _, _ in headers.entries()) if headers is not None else ()
        out.append(Response(str(code), rel, key.line, target, schemas, names))
    return tuple(out)
