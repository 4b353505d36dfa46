"""Load and validate the YAML framework models into one immutable ModelIndex.

An unknown key, kind or predicate is an error naming the file, so a bad model fails
where it lives rather than silently matching nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from servicelens.sources.yaml_budget import YamlBudgetError, load_yaml
from servicelens.taint.kinds import PREDICATES, SINK_KINDS, SOURCE_KINDS

ALL = "all"
# not a sink kind: marks what an upstream answered to a request built from the origin's value.
# That answer is the client's text only where the client chose the upstream (the URL's ssrf
# not cleansed: `requests.get(request.args["url"])`); where the server chose it (a configured
# base URL, a fixed host), it is the upstream's own data (taint.resolve._reaches)
UPSTREAM_ANSWER = "upstream-answer"
_TOP_KEYS = {"framework", "language", "detect", "request_objects", "request_params", "response_params",
             "request_context_checks",
             "request_attributes", "request_views", "session_objects", "session_attributes", "routes",
             "auth_decorators", "auth_dependencies", "permission_decorators", "authenticating_decorators",
             "refusing_calls", "identifying_middlewares", "raising_lookups", "raising_conversions",
             "document_stores", "relational_stores",
             "sources", "sinks", "sanitizers", "instances"}
_ENTRY_KEYS = {"call", "method", "args", "names", "kind", "when", "receiver", "receiver_tag", "renders",
               "cleanses", "label", "tag", "receiver_call", "host_args", "receiver_attr", "members"}


class ModelError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SinkSpec:
    kind: str
    args: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    when: str = ""
    receiver: bool = False
    receiver_tag: str = ""
    renders: str = ""  # where the sink's output is read when not in an HTTP response ("e-mail")
    # an options object at `args` is read only at these members (`ogs({ url })`, `axios({ url, data })`):
    # the request's body or headers are not its URL; any other argument is read whole
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceSpec:
    kind: str
    label: str
    receiver_tag: str = ""  # method sources: only on receivers with this tag


@dataclass(frozen=True, slots=True)
class SanitizerSpec:
    cleanses: frozenset[str]  # sink kinds, or {"all"}
    receiver_tag: str = ""
    # `local-url`: the result is a path of this site (a URL builder of the app's own routes),
    # so text appended to it stays on this site too
    tag: str = ""
    # keyword arguments that still choose the scheme or host of the URL the builder returns
    # (Pyramid's `route_url(..., _host=...)`): client text in them is not cleansed
    host_args: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LookupSpec:
    """A library call that raises (404, DoesNotExist) unless a stored row has the key it is given."""

    receiver_attr: str = ""  # method lookups: only on a receiver chain through this attribute (`.objects`)
    args: tuple[int, ...] = ()  # positions that hold the key (`Query.get_or_404(ident)`)


@dataclass(frozen=True, slots=True)
class RouteModel:
    framework: str
    decorator_methods: frozenset[str] = frozenset()
    receivers_hint: frozenset[str] = frozenset()
    all_params_are_sources: bool = False
    injected_defaults: frozenset[str] = frozenset()
    injected_annotations: frozenset[str] = frozenset()
    operation_id_binding: bool = False


@dataclass(frozen=True, slots=True)
class ModelIndex:
    call_sinks: Mapping[str, tuple[SinkSpec, ...]]
    method_sinks: Mapping[str, tuple[SinkSpec, ...]]
    call_sources: Mapping[str, SourceSpec]
    method_sources: Mapping[str, SourceSpec]
    call_sanitizers: Mapping[str, SanitizerSpec]
    method_sanitizers: Mapping[str, SanitizerSpec]
    instances: Mapping[str, str]  # constructor qualname -> tag
    request_objects: frozenset[str]
    request_param_names: frozenset[str]
    request_param_annotations: frozenset[str]
    request_attributes: Mapping[str, str]  # attribute -> label
    # attributes of a request that are the request again under another name (Koa's `ctx.request`):
    # their own attributes are read as the request's (`ctx.request.body` is the request body)
    request_views: frozenset[str]
    session_objects: frozenset[str]
    session_attributes: frozenset[str]
    routes: tuple[RouteModel, ...]
    auth_decorators: frozenset[str]
    auth_dependencies: frozenset[str]
    frameworks: Mapping[str, tuple[str, ...]]  # framework -> import prefixes that reveal it
    # library decorators that check a permission against the request and its URL's objects
    permission_decorators: frozenset[str] = frozenset()
    # library decorators that refuse an unauthenticated caller (no object-level permission)
    authenticating_decorators: frozenset[str] = frozenset()
    # library calls that raise (401/403, a "not authorized" error) unless the caller passes the
    # check they make: a handler or helper calling one turns the caller away itself
    refusing_calls: frozenset[str] = frozenset()
    # library middlewares that attach the caller to the request and refuse nobody (a magic-link
    # login, an OTP flag): listed in MIDDLEWARE, they require nothing of a view's caller
    identifying_middlewares: frozenset[str] = frozenset()
    # library lookups that raise unless a stored row matches the key (taint.lookups): by call
    # qualname, and by method name
    call_lookups: Mapping[str, LookupSpec] = field(default_factory=lambda: MappingProxyType({}))
    method_lookups: Mapping[str, LookupSpec] = field(default_factory=lambda: MappingProxyType({}))
    # library conversions that raise on text not of their type (`uuid.UUID(ref)`, `int(page)`): by
    # call qualname, the positions of the text they convert (taint.conversions)
    raising_conversions: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # handler parameters that are the response being written (Express `res`): tagged, so a
    # sink such as `res.redirect` is matched on the response and not on any `.redirect()`
    response_param_names: frozenset[str] = frozenset()
    # methods whose result is a tagged object whatever they are called on (`db.collection('x')`)
    method_instances: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # calls true whenever a request is being served (Flask's `has_app_context()`): a helper's
    # branch where one is false never runs under a handler
    request_context_checks: frozenset[str] = frozenset()
    # packages through which a JS/TS project talks to a document store, and to a SQL database
    # (taint.document_stores)
    document_stores: frozenset[str] = frozenset()
    relational_stores: frozenset[str] = frozenset()


def load_models(language: str = "python", extra_dirs: tuple[str, ...] = ()) -> ModelIndex:
    """Every model file for `language`, bundled first, then the user's own directories."""
    return _load_models(language, extra_dirs, user_models_fingerprint(extra_dirs))


def user_model_files(extra_dirs: tuple[str, ...]) -> list[Path]:
    """The user's model files, in load order: the one list both loading and hashing use."""
    return [path for directory in extra_dirs for path in sorted(Path(directory).glob("*.yaml"))]


_NO_USER_MODELS = hashlib.sha256().hexdigest()


def user_models_fingerprint(extra_dirs: tuple[str, ...]) -> str:
    """Hash of the names and contents of the user's model files: editing one must
    invalidate cached results and the in-process memo of loaded models alike."""
    if not extra_dirs:
        return _NO_USER_MODELS  # asked for every route the inventory judges
    digest = hashlib.sha256()
    for path in user_model_files(extra_dirs):
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_content_digest(path) + b"\0")
    return digest.hexdigest()


def _content_digest(path: Path) -> bytes:
    """Through the same reader as loading (regular files only, no final symlink, capped),
    so what is hashed is exactly what is loaded; a refusal is hashed as its reason."""
    from servicelens.sources.safe_read import RefusedFile, read_whole

    try:
        return hashlib.sha256(read_whole(path, USER_MODEL_MAX_BYTES)).hexdigest().encode()
    except RefusedFile as exc:
        return exc.reason.encode()


@lru_cache(maxsize=8)
def _load_models(language: str, extra_dirs: tuple[str, ...], fingerprint: str) -> ModelIndex:
    """Memoised per content fingerprint, so an edited model file is read again."""
    documents: list[tuple[str, dict[str, Any]]] = []
    package = resources.files("servicelens.models").joinpath(language)
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            documents.append((f"models/{language}/{entry.name}", load_yaml(entry.read_text("utf-8"))))
    for path in user_model_files(extra_dirs):
        data = _load_user_model(path)
        if isinstance(data, dict) and data.get("language", language) == language:
            documents.append((str(path), data))
    return _build(documents)


USER_MODEL_MAX_BYTES = 2_000_000


def _load_user_model(path: Path) -> Any:
    """A user's model file may sit in a reviewed repository: read it like any file from the
    tree (regular files only, capped) and through the YAML budget; every problem is a
    ModelError naming the file (and line), never content from elsewhere."""
    from servicelens.sources.safe_read import RefusedFile, read_whole

    try:
        data = read_whole(path, USER_MODEL_MAX_BYTES)
    except RefusedFile as exc:
        raise ModelError(f"{path.name}: {exc.reason}") from exc
    try:
        return load_yaml(data.decode("utf-8"))
    except YamlBudgetError as exc:
        raise ModelError(f"{path.name}: line {exc.line}: {exc.message}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ModelError(f"{path.name}: line {mark.line + 1 if mark else 1}: invalid YAML: "
                         f"{exc.problem or exc.context}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problem = "not valid UTF-8" if isinstance(exc, UnicodeDecodeError) else "not valid YAML"
        raise ModelError(f"{path.name}: {problem}") from None


def _build(documents: list[tuple[str, dict[str, Any]]]) -> ModelIndex:
    b = _Builder()
    for where, data in documents:
        b.add(where, data)
    return b.freeze()


@dataclass
class _Builder:
    call_sinks: dict[str, list[SinkSpec]] = field(default_factory=dict)
    method_sinks: dict[str, list[SinkSpec]] = field(default_factory=dict)
    call_sources: dict[str, SourceSpec] = field(default_factory=dict)
    method_sources: dict[str, SourceSpec] = field(default_factory=dict)
    call_sanitizers: dict[str, SanitizerSpec] = field(default_factory=dict)
    method_sanitizers: dict[str, SanitizerSpec] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)
    request_objects: set[str] = field(default_factory=set)
    request_param_names: set[str] = field(default_factory=set)
    request_param_annotations: set[str] = field(default_factory=set)
    response_param_names: set[str] = field(default_factory=set)
    request_context_checks: set[str] = field(default_factory=set)
    method_instances: dict[str, str] = field(default_factory=dict)
    request_attributes: dict[str, str] = field(default_factory=dict)
    request_views: set[str] = field(default_factory=set)
    session_objects: set[str] = field(default_factory=set)
    session_attributes: set[str] = field(default_factory=set)
    routes: list[RouteModel] = field(default_factory=list)
    auth_decorators: set[str] = field(default_factory=set)
    auth_dependencies: set[str] = field(default_factory=set)
    permission_decorators: set[str] = field(default_factory=set)
    authenticating_decorators: set[str] = field(default_factory=set)
    refusing_calls: set[str] = field(default_factory=set)
    identifying_middlewares: set[str] = field(default_factory=set)
    call_lookups: dict[str, LookupSpec] = field(default_factory=dict)
    method_lookups: dict[str, LookupSpec] = field(default_factory=dict)
    raising_conversions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    frameworks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    document_stores: set[str] = field(default_factory=set)
    relational_stores: set[str] = field(default_factory=set)

    def add(self, where: str, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise ModelError(f"{where}: a model file must be a mapping")
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise ModelError(f"{where}: unknown key(s) {sorted(unknown)}")
        framework = str(data.get("framework", where))
        if data.get("detect"):
            self.frameworks[framework] = tuple(data["detect"])
        self.request_objects.update(data.get("request_objects", ()))
        self.document_stores.update(data.get("document_stores", ()))
        self.relational_stores.update(data.get("relational_stores", ()))
        params = data.get("request_params") or {}
        self.request_param_names.update(params.get("names", ()))
        self.request_param_annotations.update(params.get("annotations", ()))
        self.response_param_names.update((data.get("response_params") or {}).get("names", ()))
        self.request_context_checks.update(data.get("request_context_checks", ()))
        self.request_attributes.update(data.get("request_attributes") or {})
        self.request_views.update(data.get("request_views", ()))
        self.session_objects.update(data.get("session_objects", ()))
        self.session_attributes.update(data.get("session_attributes", ()))
        self.auth_decorators.update(data.get("auth_decorators", ()))
        self.auth_dependencies.update(data.get("auth_dependencies", ()))
        self.permission_decorators.update(data.get("permission_decorators", ()))
        self.authenticating_decorators.update(data.get("authenticating_decorators", ()))
        self.refusing_calls.update(data.get("refusing_calls", ()))
        self.identifying_middlewares.update(data.get("identifying_middlewares", ()))
        for entry in data.get("raising_lookups") or ():
            _check_keys(where, entry)
            spec = LookupSpec(entry.get("receiver_attr", ""), tuple(entry.get("args", ())))
            if "call" in entry:
                self.call_lookups[entry["call"]] = spec
            else:
                self.method_lookups[entry["method"]] = spec
        for entry in data.get("raising_conversions") or ():
            _check_keys(where, entry)
            if "call" not in entry:
                raise ModelError(f"{where}: a raising conversion names its `call`: {entry}")
            self.raising_conversions[entry["call"]] = tuple(entry.get("args", (0,)))
        if data.get("routes"):
            self.routes.append(_route(framework, data["routes"]))
        for entry in data.get("sources") or ():
            self._source(where, entry)
        for entry in data.get("sinks") or ():
            self._sink(where, entry)
        for entry in data.get("sanitizers") or ():
            self._sanitizer(where, entry)
        for entry in data.get("instances") or ():
            _check_keys(where, entry)
            if "method" in entry:
                self.method_instances[entry["method"]] = entry["tag"]
            else:
                self.instances[entry["call"]] = entry["tag"]

    def _source(self, where: str, entry: dict[str, Any]) -> None:
        _check_keys(where, entry)
        if entry["kind"] not in SOURCE_KINDS:
            raise ModelError(f"{where}: unknown source kind {entry['kind']!r}")
        if "method" in entry and "receiver_call" not in entry:
            self.method_sources[entry["method"]] = SourceSpec(entry["kind"], entry.get("label", entry["method"]),
                                                              entry.get("receiver_tag", ""))
            return
        spec = SourceSpec(entry["kind"], entry.get("label", entry.get("call", "")))
        self.call_sources[entry.get("receiver_call") or entry["call"]] = spec

    def _sink(self, where: str, entry: dict[str, Any]) -> None:
        _check_keys(where, entry)
        if entry["kind"] not in SINK_KINDS:
            raise ModelError(f"{where}: unknown sink kind {entry['kind']!r}")
        if entry.get("when") and entry["when"] not in PREDICATES:
            raise ModelError(f"{where}: unknown predicate {entry['when']!r}")
        spec = SinkSpec(entry["kind"], tuple(entry.get("args", ())), tuple(entry.get("names", ())),
                        entry.get("when", ""), bool(entry.get("receiver", False)),
                        entry.get("receiver_tag", ""), entry.get("renders", ""), tuple(entry.get("members", ())))
        if "call" in entry:
            self.call_sinks.setdefault(entry["call"], []).append(spec)
        elif "method" in entry:
            self.method_sinks.setdefault(entry["method"], []).append(spec)
        else:
            raise ModelError(f"{where}: a sink needs `call` or `method`: {entry}")

    def _sanitizer(self, where: str, entry: dict[str, Any]) -> None:
        _check_keys(where, entry)
        cleanses = entry["cleanses"]
        kinds = frozenset({ALL}) if cleanses == ALL else frozenset(cleanses)
        bad = kinds - SINK_KINDS - {ALL}
        if bad:
            raise ModelError(f"{where}: unknown sink kind(s) in cleanses: {sorted(bad)}")
        spec = SanitizerSpec(kinds, entry.get("receiver_tag", ""), entry.get("tag", ""),
                             tuple(entry.get("host_args", ())))
        if "call" in entry:
            self.call_sanitizers[entry["call"]] = spec
        else:
            self.method_sanitizers[entry["method"]] = spec

    def freeze(self) -> ModelIndex:
        return ModelIndex(
            call_sinks=MappingProxyType({k: tuple(v) for k, v in self.call_sinks.items()}),
            method_sinks=MappingProxyType({k: tuple(v) for k, v in self.method_sinks.items()}),
            call_sources=MappingProxyType(dict(self.call_sources)),
            method_sources=MappingProxyType(dict(self.method_sources)),
            call_sanitizers=MappingProxyType(dict(self.call_sanitizers)),
            method_sanitizers=MappingProxyType(dict(self.method_sanitizers)),
            instances=MappingProxyType(dict(self.instances)),
            request_objects=frozenset(self.request_objects),
            request_param_names=frozenset(self.request_param_names),
            request_param_annotations=frozenset(self.request_param_annotations),
            request_attributes=MappingProxyType(dict(self.request_attributes)),
            request_views=frozenset(self.request_views),
            session_objects=frozenset(self.session_objects),
            session_attributes=frozenset(self.session_attributes),
            routes=tuple(self.routes),
            auth_decorators=frozenset(self.auth_decorators),
            auth_dependencies=frozenset(self.auth_dependencies),
            frameworks=MappingProxyType(dict(self.frameworks)),
            permission_decorators=frozenset(self.permission_decorators),
            authenticating_decorators=frozenset(self.authenticating_decorators),
            refusing_calls=frozenset(self.refusing_calls),
            identifying_middlewares=frozenset(self.identifying_middlewares),
            call_lookups=MappingProxyType(dict(self.call_lookups)),
            method_lookups=MappingProxyType(dict(self.method_lookups)),
            raising_conversions=MappingProxyType(dict(self.raising_conversions)),
            response_param_names=frozenset(self.response_param_names),
            method_instances=MappingProxyType(dict(self.method_instances)),
            request_context_checks=frozenset(self.request_context_checks),
            document_stores=frozenset(self.document_stores),
            relational_stores=frozenset(self.relational_stores),
        )


def _check_keys(where: str, entry: dict[str, Any]) -> None:
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise ModelError(f"{where}: unknown key(s) {sorted(unknown)} in {entry}")


def _route(framework: str, raw: dict[str, Any]) -> RouteModel:
    return RouteModel(
        framework=framework,
        decorator_methods=frozenset(raw.get("decorator_methods", ())),
        receivers_hint=frozenset(raw.get("receivers_hint", ())),
        all_params_are_sources=bool(raw.get("all_params_are_sources", False)),
        injected_defaults=frozenset(raw.get("injected_defaults", ())),
        injected_annotations=frozenset(raw.get("injected_annotations", ())),
        operation_id_binding=bool(raw.get("operation_id_binding", False)),
    )
