"""What the JavaScript rules share: the knowledge file (models/node/rules.yaml), every call
with the project-wide name it resolves to, object-literal options, and the words a name
is made of. Pure functions over the IR; the knowledge is read once."""
from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.route import RouteFact
from servicelens.model.finding import Location
from servicelens.rules.base import all_bodies, iter_calls
from servicelens.taint.scope import ModuleScope
from servicelens.packaged_yaml import packaged_yaml


EXPRESS_ROUTES = "express-routes"  # key of the file's routes in ModuleScope.derived, set by the per-file phase


def express_routes(scope: ModuleScope) -> tuple[RouteFact, ...]:
    """Every Express route this file declares, whether its handler is defined here or elsewhere."""
    found = scope.derived.get(EXPRESS_ROUTES, ())
    return found if isinstance(found, tuple) else ()


@dataclass(frozen=True, slots=True)
class HttpCall:
    options: int  # index of the options argument; -1: the library has no per-call timeout option
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class NodeKnowledge:
    http_calls: Mapping[str, HttpCall]
    default_timeout_targets: frozenset[str]
    local_transport_options: frozenset[str]
    local_hosts: tuple[str, ...]
    second_factor_paths: frozenset[str]
    unguessed_sign_in_paths: frozenset[str]
    token_payload_verifiers: frozenset[str]
    blocking_calls: frozenset[str]
    blocking_metadata_calls: frozenset[str]
    blocking_file_calls: frozenset[str]
    blocking_file_writes: frozenset[str]
    blocking_password_hashes: frozenset[str]
    weak_digests: frozenset[str]
    digest_calls: frozenset[str]
    cookie_calls: frozenset[str]
    session_middlewares: frozenset[str]
    jwt_sign: frozenset[str]
    jwt_verify: frozenset[str]
    jwt_decode: frozenset[str]
    cors_middlewares: frozenset[str]
    cors_plugins: frozenset[str]
    cors_methods: frozenset[str]
    data_access_methods: frozenset[str]
    list_queries: frozenset[str]
    limit_options: frozenset[str]
    limit_calls: frozenset[str]
    builder_methods: frozenset[str]
    builder_bounds: frozenset[str]
    pool_checkouts: frozenset[str]
    pool_returns: frozenset[str]
    row_writes: frozenset[str]
    transaction_calls: frozenset[str]
    compensating_calls: frozenset[str]
    lock_options: frozenset[str]
    record_lookups: frozenset[str]
    model_writes: frozenset[str]
    document_setters: frozenset[str]
    copy_calls: frozenset[str]
    model_type_packages: frozenset[str]
    additive_methods: frozenset[str]
    credential_paths: tuple[str, ...]
    secret_arguments: Mapping[str, int]
    money_calls: Mapping[str, int]
    money_records: frozenset[str]
    minor_unit_fields: frozenset[str]
    permission_decorators: Mapping[str, str]
    dedup_calls: frozenset[str]
    webhook_verifiers: frozenset[str]
    driver_error_fields: frozenset[str]  # what a database driver's error carries for the operator
    stored_secrets: "SecretNames"
    owned_records: frozenset[str]
    rate_limit_packages: frozenset[str]
    repository_types: frozenset[str]


@dataclass(frozen=True, slots=True)
class SecretNames:
    """Words that name a stored credential: anywhere in a field's name (`passwordHash`, `totpSecret`),
    or only as its last word, the thing the field is (`token`, `resetToken`, not `tokenExpiresAt`)."""
    words: frozenset[str]
    heads: frozenset[str]


@lru_cache(maxsize=1)
def knowledge() -> NodeKnowledge:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("node/rules.yaml").read_text("utf-8"))
    calls = {name: HttpCall(int(spec["options"]), frozenset(spec["keys"])) for name, spec in data["http_calls"].items()}
    sets = {key: frozenset(str(v) for v in data[key]) for key in (
        "default_timeout_targets", "local_transport_options", "second_factor_paths", "unguessed_sign_in_paths", "token_payload_verifiers", "blocking_calls", "blocking_metadata_calls", "blocking_file_calls", "blocking_file_writes", "blocking_password_hashes", "weak_digests", "digest_calls", "cookie_calls",
        "session_middlewares", "jwt_sign", "jwt_verify", "jwt_decode", "cors_middlewares", "cors_plugins",
        "cors_methods", "data_access_methods", "list_queries", "limit_options", "limit_calls", "builder_methods", "builder_bounds", "pool_checkouts", "pool_returns", "row_writes",
        "transaction_calls", "compensating_calls", "lock_options", "record_lookups",
        "model_writes", "document_setters", "model_type_packages", "additive_methods",
        "copy_calls", "rate_limit_packages", "repository_types", "webhook_verifiers",
        "driver_error_fields")}
    return NodeKnowledge(http_calls=MappingProxyType(calls), credential_paths=tuple(data["credential_paths"]),
                         secret_arguments=MappingProxyType({k: int(v) for k, v in data["secret_arguments"].items()}),
                         money_calls=MappingProxyType({k: int(v) for k, v in data["money_calls"].items()}),
                         money_records=frozenset(data["money_records"]),
                         minor_unit_fields=frozenset(data["minor_unit_fields"]),
                         permission_decorators=MappingProxyType(dict(data["permission_decorators"])), dedup_calls=frozenset(data["dedup_calls"]),
                         stored_secrets=SecretNames(frozenset(data["stored_secret_words"]),
                                                    frozenset(data["stored_secret_heads"])),
                         owned_records=frozenset(data["owned_records"]),
                         local_hosts=tuple(str(h) for h in data["local_hosts"]),
                         **sets)


@dataclass(frozen=True, slots=True)
class CipherCall:
    """Where an encryption call takes its algorithm and IV (`options` >= 0: both in that options
    object, as `name` and `iv`)."""
    algorithm: int = 0
    iv: int = -1
    options: int = -1
    fixed_iv: bool = False


@dataclass(frozen=True, slots=True)
class CipherObject:
    """A library whose cipher objects encrypt (`CryptoJS.AES.encrypt(message, key, {mode, iv})`)."""
    method: str
    options: int


@dataclass(frozen=True, slots=True)
class CipherKnowledge:
    calls: Mapping[str, CipherCall]
    objects: Mapping[str, CipherObject]
    broken: frozenset[str]
    constant_buffers: frozenset[str]
    random_bytes: frozenset[str]


@lru_cache(maxsize=1)
def cipher_knowledge() -> CipherKnowledge:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("node/rules.yaml").read_text("utf-8"))
    return CipherKnowledge(
        calls=MappingProxyType({name: CipherCall(**spec) for name, spec in data["cipher_calls"].items()}),
        objects=MappingProxyType({name: CipherObject(**spec) for name, spec in data["cipher_objects"].items()}),
        broken=frozenset(data["broken_ciphers"]), constant_buffers=frozenset(data["constant_buffers"]),
        random_bytes=frozenset(data["random_bytes"]))


@dataclass(frozen=True, slots=True)
class NamedCall:
    function: ir.Function | None
    call: ir.Call
    name: str  # project-wide (`axios.get`), or the raw spelling when it starts at a local


def named_calls(module: ir.Module, scope: ModuleScope) -> Iterator[NamedCall]:
    """Every call of the module once, with the name its callee resolves to through imports."""
    return iter(scope.memo("js-named-calls", lambda: tuple(_named_calls(module, scope))))


def _named_calls(module: ir.Module, scope: ModuleScope) -> Iterator[NamedCall]:
    for function, body in all_bodies(module):
        for call in iter_calls(body):
            raw = ir.dotted_name(call.func) or ""
            yield NamedCall(function, call, scope.qualify(raw, function, set()) or raw if raw else "")


option = ir.option  # `{key: value}` of an options object (shared with the framework readers)


def has_spread(options: ir.Expr | None) -> bool:
    """`{...defaults}`: keys we cannot see may be set."""
    return isinstance(options, ir.DictExpr) and any(k is None for k in options.keys)


def is_true(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is True


def is_false(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is False


def const_str(expr: ir.Expr | None) -> str | None:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None


def literal_text(expr: ir.Expr, hole: str = "") -> str:
    """The text a string or template literal spells, each `${...}` written as `hole`: enough to
    read a SQL statement or a URL path; "" for anything else."""
    if isinstance(expr, ir.FormattedString):
        return "".join(str(p.value) if isinstance(p, ir.Const) else hole for p in expr.parts)
    return const_str(expr) or ""


def location(module: ir.Module, node: ir.Call | ir.Stmt | ir.Expr) -> Location:
    line = getattr(node, "line", 1)
    return Location(module.path, line, getattr(node, "end_line", 0) or line)


def request_field(expr: ir.Expr, field: str) -> bool:
    """`req.body` / `request.body` (the request object's `field`), awaited or not."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    return isinstance(expr, ir.Attr) and expr.attr == field and isinstance(expr.value, ir.Name) \
        and expr.value.id in ("req", "request")


_TABLE = re.compile(r"^\w+$")


def builder_table(expr: ir.Expr) -> str:
    """The table a query-builder chain starts on (`db('orders').where(...)`, `knex('orders')`,
    `trx('orders')`): its one literal argument, a table name; '' for anything else."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and isinstance(expr.func.value, ir.Call):
        expr = expr.func.value
    if isinstance(expr, ir.Call) and isinstance(expr.func, (ir.Name, ir.Attr)) and len(expr.args) == 1 \
            and not expr.kwargs and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, str) \
            and _TABLE.match(expr.args[0].value):
        return expr.args[0].value
    return ""


def handler_functions(module: ir.Module, scope: ModuleScope) -> Iterator[ir.Function]:
    """Route handlers and every function nested in them (callbacks run for the request too)."""
    roots = tuple(scope.handlers)
    for function in module.functions:
        if any(function.qualname == r or function.qualname.startswith(r + ".<locals>.") for r in roots):
            yield function


def code_line(module: ir.Module, line: int) -> str:
    return module.line_text(line)
