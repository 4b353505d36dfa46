"""OpenAPI 3.1 document for the chosen operations.

Every operation gets bounded inputs, a shared problem+json error schema, 429 with
Retry-After, cursor pagination on lists, and Idempotency-Key on retried creates.
"""
from __future__ import annotations

import copy
import re
from typing import Any

from servicelens.design.codeplan import TABLE_CONSTRAINTS

_SQL_JSON = (
    (r"^uuid", {"type": "string", "format": "uuid"}),
    (r"^(varchar|char)\((\d+)\)", None),
    (r"^text", {"type": "string", "maxLength": 10000}),
    (r"^(bigint|integer|smallint)", {"type": "integer"}),
    (r"^timestamptz", {"type": "string", "format": "date-time"}),
    (r"^boolean", {"type": "boolean"}),
    (r"^jsonb", {"type": "object"}),
    (r"^tsvector", {"type": "string"}),
)
_ERRORS = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
           "409": "Conflict", "422": "Unprocessable", "429": "TooManyRequests",
           "500": "InternalError", "503": "Unavailable"}


def column_schema(sql_type: str) -> dict[str, Any]:
    for pat, schema in _SQL_JSON:
        m = re.match(pat, sql_type, re.I)
        if m:
            if schema is None:
                return {"type": "string", "maxLength": int(m.group(2))}
            return dict(schema)
    return {"type": "string"}


def resource_schema(table: dict[str, Any]) -> dict[str, Any]:
    props, required = {}, []
    private = set(table.get("private", ()))
    for col in table["columns"]:
        if col.lower().startswith(TABLE_CONSTRAINTS):
            continue
        name, sql_type = col.split(" ")[0], col.split(" ")[1]
        if name in private:
            continue
        props[name] = column_schema(sql_type)
        if "not null" in col.lower() or "primary key" in col.lower():
            required.append(name)
    return {"type": "object", "additionalProperties": False, "properties": props, "required": required}


def _pascal(name: str) -> str:
    return "".join(p.capitalize() for p in re.split(r"[_\W]+", name) if p)


def _components(tables: list[dict[str, Any]], api_keys: bool) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "description": "RFC 9457 problem details",
                  "required": ["type", "title", "status"],
                  "properties": {"type": {"type": "string", "format": "uri-reference", "maxLength": 200},
                                 "title": {"type": "string", "maxLength": 200},
                                 "status": {"type": "integer", "minimum": 400, "maximum": 599},
                                 "detail": {"type": "string", "maxLength": 2000},
                                 "instance": {"type": "string", "maxLength": 200},
                                 "errors": {"type": "array", "maxItems": 50, "items": {"type": "object", "properties": {
                                     "field": {"type": "string", "maxLength": 200}, "message": {"type": "string", "maxLength": 500}}}}}},
    }
    for t in tables:
        schemas[_pascal(t["name"])] = resource_schema(t)
    error = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    responses = {name: {"description": name, "content": copy.deepcopy(error)} for name in _ERRORS.values()}
    retry = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer", "minimum": 1}}}
    responses["TooManyRequests"]["headers"] = dict(retry, **{
        "RateLimit-Limit": {"schema": {"type": "integer"}, "description": "Requests allowed in the window"},
        "RateLimit-Remaining": {"schema": {"type": "integer"}, "description": "Requests left in the window"}})
    responses["Unavailable"]["headers"] = copy.deepcopy(retry)
    schemes: dict[str, Any] = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    if api_keys:
        schemes["apiKeyAuth"] = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    params = {
        "Cursor": {"name": "cursor", "in": "query", "required": False, "description": "Opaque cursor from next_cursor",
                   "schema": {"type": "string", "maxLength": 200}},
        "Limit": {"name": "limit", "in": "query", "required": False,
                  "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
        "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": True,
                           "description": "Client-generated key, unique per caller; a retry with the same key never repeats the effect (payments return the first response, other creates answer 409 Conflict)",
                           "schema": {"type": "string", "minLength": 8, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"}},
    }
    return {"schemas": schemas, "responses": responses, "securitySchemes": schemes, "parameters": params}


def _path_param(name: str, op: dict[str, Any], tables: list[dict[str, Any]]) -> dict[str, Any]:
    schema = op.get("params", {}).get(name)
    if schema is None:
        schema = {"type": "string", "maxLength": 200}
        for t in tables:
            col = next((c for c in t["columns"] if c.split(" ")[0] == name), None)
            if col:
                schema = column_schema(col.split(" ")[1])
                break
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(op: dict[str, Any], tables: list[dict[str, Any]], media_max: int, auth_scheme: str) -> dict[str, Any]:
    params: list[dict[str, Any]] = [_path_param(p, op, tables) for p in re.findall(r"\{(\w+)\}", op["path"])]
    for name, schema in op.get("filters", {}).items():
        params.append({"name": name, "in": "query", "required": name in op.get("required_filters", ()), "schema": schema})
    if op.get("paginated"):
        params += [{"$ref": "#/components/parameters/Cursor"}, {"$ref": "#/components/parameters/Limit"}]
    if op.get("idempotent") and op["method"] == "POST":
        params.append({"$ref": "#/components/parameters/IdempotencyKey"})
    resource = {"$ref": f"#/components/schemas/{_pascal(op['table'])}"}
    status = str(op["status"])
    if op.get("flavor") == "login" or op["id"] == "refresh_token":
        body_schema: dict[str, Any] = {"$ref": "#/components/schemas/TokenPair"}
    elif op.get("paginated"):
        body_schema = {"type": "object", "required": ["items", "next_cursor"], "properties": {
            "items": {"type": "array", "maxItems": 100, "items": resource},
            "next_cursor": {"type": ["string", "null"], "maxLength": 200}}}
    else:
        body_schema = resource
    if status == "302":
        ok = {"description": "Redirect", "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}}}
    elif status == "204":
        ok = {"description": "Done"}
    else:
        ok = {"description": op["summary"], "content": {"application/json": {"schema": body_schema}}}
    responses: dict[str, Any] = {status: ok}
    codes = ["400", "422", "429", "500", "503"]
    if op.get("auth"):
        codes += ["401", "403"]
    if "{" in op["path"]:
        codes.append("404")
    if op["kind"] == "write":
        codes.append("409")
    for code in sorted(codes):
        responses[code] = {"$ref": f"#/components/responses/{_ERRORS[code]}"}
    out: dict[str, Any] = {"operationId": op["id"], "summary": op["summary"], "tags": [op["_domain"]],
                           "security": [{auth_scheme: []}] if op.get("auth") else [], "responses": responses}
    if op.get("source"):  # the requirement's clause the operation was read from (op_sources.py)
        out["description"] = f"From the requirement: {op['source']}"
    if params:
        out["parameters"] = params
    if op.get("request"):
        props = copy.deepcopy(op["request"])
        for schema in props.values():
            if schema.get("maximum") == "MEDIA_MAX":
                schema["maximum"] = media_max
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": False, "properties": props, "required": list(op.get("required", ()))}}}}
    return out


def openapi(title: str, ops: list[dict[str, Any]], tables: list[dict[str, Any]], domains: tuple[str, ...],
            media_max: int) -> dict[str, Any]:
    api_keys = "public_api" in domains
    comps = _components(tables, api_keys)
    if "auth" in domains:
        comps["schemas"]["TokenPair"] = {"type": "object", "additionalProperties": False,
                                         "required": ["access_token", "refresh_token", "token_type", "expires_in"],
                                         "properties": {"access_token": {"type": "string", "maxLength": 4096},
                                                        "refresh_token": {"type": "string", "maxLength": 512},
                                                        "token_type": {"type": "string", "const": "Bearer"},
                                                        "expires_in": {"type": "integer", "minimum": 1}}}
    paths: dict[str, Any] = {}
    scheme = "apiKeyAuth" if api_keys else "bearerAuth"
    for op in ops:
        paths.setdefault(op["path"], {})[op["method"].lower()] = _operation(op, tables, media_max, scheme)
    return {"openapi": "3.1.0",
            "info": {"title": title, "version": "1.0.0",
                     "description": "Generated by servicelens design. Errors use application/problem+json."},
            "servers": [{"url": "https://api.example.com"}],
            "tags": [{"name": d} for d in domains],
            "security": [{scheme: []}],
            "paths": paths, "components": comps}
