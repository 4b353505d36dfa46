#!/usr/bin/env python3
"""Survey the base every security rule stands on: which route declarations of real code
servicelens does not turn into endpoints, and which request reads in its endpoints it does not
treat as request data.

Two independent views of each development repository (`half: dev` labels, their review roots):

  declared   an `ast` walk of every Python file for what registers a URL rule, written from the
             frameworks' documentation and not from servicelens's code: route decorators whose
             first argument is a URL rule, view/resource classes, registration calls
             (`add_url_rule`, `add_resource`, `add_api_route`, `add_route`, `add_get` ...,
             `Route(...)`, `web.get(...)`, Django `path/re_path/url` (a module-level name bound to
             `ViewSet.as_view({...})` declares each mapped method), DRF `router.register`; a class
             whose base is named as a resource, `ResourceBase` too);
  found      servicelens's endpoint inventory (the report overview) and, per file, the parameters
             its handler model marks as client data.

It prints, per declaration kind, how many declared handlers are not endpoints (with samples),
and in the endpoints servicelens found: reads of the request object whose attribute the
source model does not know, and handler parameters that are neither a modelled source nor
recognisably injected. The counts are the measure; before/after a change to frameworks/ or the
source model, compare them on the same repositories.

    .venv/bin/python benchmarks/triage/entry_survey.py [--repo owner/name ...] [--json out.json]

`--half test|validation` measures held-out repositories with counts only (no file, line, attribute or handler
name), so the inventory's completeness there can be reported without showing what to fix.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = Path("/work/corpus")
SKIP_DIRS = {"node_modules", ".git", "venv", ".venv", "tests", "test", "migrations", "__pycache__", "site-packages"}
HTTP = ("get", "post", "put", "patch", "delete", "head", "options")
VIEWSET = ("list", "create", "retrieve", "update", "partial_update", "destroy")
CLASS_BASE_ENDINGS = ("View", "APIView", "ViewSet", "Resource", "HTTPEndpoint", "Controller", "RequestHandler",
                      "Handler", "Endpoint")
ROUTE_DECORATOR_ATTRS = {"route", "api_route", "websocket", *HTTP}
REGISTER_CALLS = {"add_url_rule", "add_resource", "add_api_route", "add_route", "add_api_websocket_route",
                  "add_websocket_route", "add_view", *(f"add_{m}" for m in HTTP)}
URL_FUNCS = {"path", "re_path", "url"}
WEB_SHORTCUTS = {"get", "post", "put", "patch", "delete", "route", "view", "head"}
NOT_RECEIVERS = {"requests", "httpx", "client", "self.client", "session", "os.environ", "dict", "mock", "pytest",
                 "cache", "redis", "config", "settings", "kwargs", "data", "params", "headers", "self"}
REQUEST_NAMES = {"request", "req"}


@dataclass
class Declared:
    kind: str
    file: str  # where the declaration is
    target: str  # function or class name it names
    line: int


@dataclass
class Survey:
    declared: list[Declared] = field(default_factory=list)
    missing: list[tuple[Declared, str]] = field(default_factory=list)  # (declaration, where its def is)
    unmodelled_reads: Counter = field(default_factory=Counter)  # (framework, attr)
    read_samples: dict = field(default_factory=dict)
    unsourced_params: Counter = field(default_factory=Counter)  # (framework, shape)
    param_samples: dict = field(default_factory=dict)
    endpoints: int = 0
    handlers_without_info: Counter = field(default_factory=Counter)  # framework
    noinfo_samples: dict = field(default_factory=dict)
    auth: Counter = field(default_factory=Counter)  # (framework, auth status) of the endpoints found
    unresolved_paths: Counter = field(default_factory=Counter)  # framework: path empty or a placeholder


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def _is_rule(node: ast.AST | None) -> bool:
    """A URL rule: a string literal that reads like a path (`"/x"`, `"<id>"`, `""`) or an f-string."""
    if isinstance(node, ast.JoinedStr):
        return True
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return False
    text = node.value
    return text == "" or text.startswith("/") or "<" in text or "{" in text or text.startswith("^")


def _first_rule(call: ast.Call) -> ast.AST | None:
    if call.args:
        return call.args[0]
    for kw in call.keywords:
        if kw.arg in ("rule", "path", "url", "uri", "route"):
            return kw.value
    return None


def _target_name(node: ast.AST) -> str:
    """The function or class a registration names: `views.show`, `Show.as_view()`, `show`."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("as_view", "as_view_func", "view"):
            return dotted(func.value).rsplit(".", 1)[-1]
        return ""
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else ""


def _as_view_maps(tree: ast.Module) -> dict[str, list[str]]:
    """`adapter_info = AdapterViewSet.as_view({"get": "adapter_info"})` at module level: the name
    a URLconf then binds -> the `ViewSet.method`s its action map routes."""
    found: dict[str, list[str]] = {}
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign) or not isinstance(stmt.value, ast.Call):
            continue
        call = stmt.value
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "as_view" and call.args
                and isinstance(call.args[0], ast.Dict)):
            continue
        owner = dotted(call.func.value).rsplit(".", 1)[-1]
        methods = [f"{owner}.{v.value}" for v in call.args[0].values
                   if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        for target in stmt.targets:
            if isinstance(target, ast.Name) and methods:
                found[target.id] = methods
    return found


def _is_resource_base(name: str) -> bool:
    """A base named as a resource class: `Resource` a word of it (`ResourceBase`, `BaseResource`)."""
    return name.endswith(CLASS_BASE_ENDINGS) or "Resource" in name


def declarations(rel: str, tree: ast.Module) -> list[Declared]:
    found: list[Declared] = []
    maps = _as_view_maps(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                if not isinstance(dec, ast.Call):
                    continue
                name = dotted(dec.func)
                last = name.rsplit(".", 1)[-1]
                receiver = name.rsplit(".", 1)[0] if "." in name else ""
                if last in ROUTE_DECORATOR_ATTRS and receiver not in NOT_RECEIVERS and _is_rule(_first_rule(dec)):
                    found.append(Declared(f"@{'recv.' if receiver else ''}{last}", rel, node.name, node.lineno))
                elif last in ("api_view", "action", "view_config"):
                    found.append(Declared(f"@{last}", rel, node.name, node.lineno))
        elif isinstance(node, ast.ClassDef):
            bases = [dotted(b).rsplit(".", 1)[-1] for b in node.bases]
            if any(_is_resource_base(b) for b in bases):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                            (item.name in HTTP or item.name in VIEWSET or item.name.startswith("on_") and
                             item.name[3:] in HTTP):
                        found.append(Declared("class:" + next(b for b in bases if _is_resource_base(b)),
                                              rel, f"{node.name}.{item.name}", item.lineno))
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            receiver = name.rsplit(".", 1)[0] if "." in name else ""
            if receiver in NOT_RECEIVERS:
                continue
            target: ast.AST | None = None
            kind = ""
            if last == "add_url_rule":
                target = next((kw.value for kw in node.keywords if kw.arg == "view_func"),
                              node.args[2] if len(node.args) > 2 else None)
                kind = "add_url_rule"
            elif last == "add_resource" and node.args:
                target, kind = node.args[0], "add_resource"
            elif last == "add_route" and len(node.args) >= 2 and _is_rule(node.args[0]) \
                    and isinstance(node.args[1], ast.Call) and not _target_name(node.args[1]):
                # Falcon: `app.add_route(path, Resource(), suffix=...)` routes an instance; its
                # responders `on_<verb>[_<suffix>]` are the handlers (expanded per class below)
                suffix = next((kw.value.value for kw in node.keywords if kw.arg == "suffix"
                               and isinstance(kw.value, ast.Constant)), "")
                owner = dotted(node.args[1].func).rsplit(".", 1)[-1]
                if owner:
                    found.append(Declared("add_route(resource instance)", rel, f"{owner}#{suffix}", node.lineno))
                continue
            elif last in REGISTER_CALLS and len(node.args) >= 2:
                target, kind = node.args[-1], last if last.startswith("add_") else last
                if not any(_is_rule(a) for a in node.args[:-1]):
                    continue
            elif last in ("Route", "WebSocketRoute", "APIRoute") and len(node.args) >= 2 and _is_rule(node.args[0]):
                target, kind = node.args[1], last
            elif receiver == "web" and last in WEB_SHORTCUTS and len(node.args) >= 2:
                target, kind = node.args[-1], f"web.{last}"
            elif last in URL_FUNCS and len(node.args) >= 2 and not receiver and _is_rule_or_regex(node.args[0]):
                if isinstance(node.args[1], ast.Call) and dotted(node.args[1].func).endswith("include"):
                    continue
                if isinstance(node.args[1], ast.Name) and node.args[1].id in maps:
                    # a view bound by an explicit action map: each mapped method is a handler
                    found.extend(Declared(f"{last}(as_view map)", rel, method, node.lineno)
                                 for method in maps[node.args[1].id])
                    continue
                target, kind = node.args[1], last
            elif last == "register" and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and "router" in receiver.lower():
                target, kind = node.args[1], "router.register"
            if target is None:
                continue
            tname = _target_name(target)
            if tname:
                found.append(Declared(kind, rel, tname, node.lineno))
    return found


def _responders(found: list[Declared], defs: dict) -> list[Declared]:
    """A Falcon resource instance routed by `add_route` declares each `on_<verb>` responder its
    class defines (`on_<verb>_<suffix>` with a suffix); a class not defined here stays as declared."""
    out: list[Declared] = []
    for declared in found:
        if "#" not in declared.target:
            out.append(declared)
            continue
        owner, suffix = declared.target.split("#", 1)
        names = {f"on_{verb}{'_' + suffix if suffix else ''}" for verb in HTTP}
        classes = [node for _, node in defs.get(owner, ()) if isinstance(node, ast.ClassDef)]
        methods = sorted({item.name for node in classes for item in node.body
                          if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in names})
        out.extend(Declared(declared.kind, declared.file, f"{owner}.{m}", declared.line) for m in methods)
        if not classes:
            out.append(Declared(declared.kind, declared.file, owner, declared.line))
    return out


def _is_rule_or_regex(node: ast.AST) -> bool:
    return isinstance(node, (ast.Constant, ast.JoinedStr)) and (
        not isinstance(node, ast.Constant) or isinstance(node.value, str))


def python_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames)
                   if f.endswith(".py") and not f.startswith("test_") and not f.endswith("_test.py"))
    return out


def _request_reads(function: ast.AST, request_names: set[str]) -> list[tuple[str, int]]:
    """`request.X` reads in a handler body, the request named by its parameter or the framework global."""
    reads = []
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in request_names:
            reads.append((node.attr, node.lineno))
        # `self.request.X` in a class view
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "request" and isinstance(node.value.value, ast.Name) \
                and node.value.value.id == "self":
            reads.append((node.attr, node.lineno))
    return reads


# attributes of a request object that carry no client text, or that servicelens models elsewhere
# (the authenticated user, the session, framework plumbing)
NOT_DATA = {"user", "session", "method", "app", "state", "auth", "scope", "scheme", "is_secure", "is_ajax",
            "content_type", "mimetype", "is_json", "content_length", "build_absolute_uri", "get", "_request",
            "accepted_renderer", "resolver_match", "tenant", "site", "LANGUAGE_CODE", "current_app", "config_dict",
            "db", "registry", "route", "endpoint", "blueprint", "url_rule", "version", "transport", "loop",
            "remote", "client", "remote_addr", "ip", "id", "context", "extensions", "can_read_body", "body_exists",
            "has_body", "secure", "is_websocket", "charset", "encoding", "accept_mimetypes", "accept_languages",
            "organization", "team", "project", "workspace", "locale", "csp_nonce", "htmx", "_messages",
            "auth_user", "current_user", "identity", "principal", "token", "tenant_id", "user_id"}


def survey_repo(repo: str, root: Path, survey: Survey) -> None:
    from servicelens import api
    from servicelens.analysis.python_file import lower_python
    from servicelens.config.settings import Settings
    from servicelens.sources.parsing import ParserPool
    from servicelens.taint.models import load_models

    report = api.review(root, Settings(select=frozenset({"debug-enabled"}), jobs=1))
    endpoints = [e for s in report.overview.services for e in s.endpoints]
    survey.endpoints += len(endpoints)
    for e in endpoints:
        survey.auth[(e.framework, e.auth)] += 1
        if not e.path or "{?}" in e.path:
            survey.unresolved_paths[e.framework] += 1
    ep_keys = set()
    for e in endpoints:
        parts = e.handler.split(".")
        ep_keys.add((e.location.path, parts[-1]))
        if len(parts) >= 2:
            ep_keys.add((e.location.path, parts[-2]))  # a class view's class
            ep_keys.add((e.location.path, f"{parts[-2]}.{parts[-1]}"))
    models = load_models("python")
    attrs = set(models.request_attributes) | set(models.request_views) | set(models.session_attributes)
    parsers = ParserPool()
    defs: dict[str, list[tuple[str, ast.AST]]] = defaultdict(list)
    trees: dict[str, ast.Module] = {}
    for path in python_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        trees[rel] = tree
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs[node.name].append((rel, node))
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            defs[f"{node.name}.{item.name}"].append((rel, item))
    for rel, tree in trees.items():
        for declared in _responders(declarations(rel, tree), defs):
            survey.declared.append(declared)
            places = defs.get(declared.target) or []
            if not places:
                continue  # defined outside the review root or built dynamically: not judged
            if any((place, declared.target) in ep_keys or (place, declared.target.split(".")[0]) in ep_keys
                   for place, _ in places):
                continue
            survey.missing.append((declared, f"{repo}:{places[0][0]}:{places[0][1].lineno}"))
    # request reads and parameters in the endpoints servicelens found
    by_file: dict[str, list] = defaultdict(list)
    for e in endpoints:
        by_file[e.location.path].append(e)
    for rel, eps in sorted(by_file.items()):
        tree = trees.get(rel)
        if tree is None:
            continue
        text = (root / rel).read_text(encoding="utf-8", errors="surrogateescape")
        try:
            lowered = lower_python(rel, text, tuple(text.splitlines()), parsers, models, frozenset())
        except Exception:  # noqa: BLE001 - a survey counts what it can read
            continue
        handlers = lowered.scope.handlers
        funcs = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        funcs[f"{node.name}.{item.name}"] = item
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                funcs.setdefault(node.name, node)
        for e in eps:
            parts = e.handler.split(".")
            qual = next((q for q in (".".join(parts[-2:]), parts[-1]) if q in funcs), None)
            if qual is None:
                continue
            function = funcs[qual]
            info = handlers.get(qual)
            params = [a.arg for a in function.args.posonlyargs + function.args.args + function.args.kwonlyargs]
            names = {p for p in params if p in REQUEST_NAMES} | {"request"}
            for attr, line in _request_reads(function, names):
                if attr not in attrs and attr not in NOT_DATA and not attr.startswith("_"):
                    key = (e.framework, attr)
                    survey.unmodelled_reads[key] += 1
                    survey.read_samples.setdefault(key, f"{repo}:{rel}:{line}")
            if info is None:
                data_params = [p for p in params if p not in ("self", "cls") and p not in REQUEST_NAMES]
                if data_params:
                    survey.handlers_without_info[e.framework] += 1
                    survey.noinfo_samples.setdefault(e.framework, []).append(f"{repo}:{rel}:{function.lineno} {qual}")
                continue
            sourced = {name for name, _ in info.source_params}
            for arg in function.args.posonlyargs + function.args.args + function.args.kwonlyargs:
                if arg.arg in sourced or arg.arg in ("self", "cls") or arg.arg in REQUEST_NAMES \
                        or (e.framework == "graphql" and arg.arg in ("info", "root", "parent", "obj", "_")):
                    continue
                shape = _param_shape(arg, function)
                if shape == "injected":
                    continue
                key = (e.framework, shape)
                survey.unsourced_params[key] += 1
                survey.param_samples.setdefault(key, []).append(f"{repo}:{rel}:{arg.lineno} {qual}({arg.arg})")


def _param_shape(arg: ast.arg, function: ast.AST) -> str:
    """How a parameter the handler model left unsourced is declared, to group the survey."""
    all_args = function.args.args + function.args.posonlyargs  # type: ignore[attr-defined]
    defaults = function.args.defaults  # type: ignore[attr-defined]
    default = None
    if arg in all_args and defaults:
        index = all_args.index(arg) - (len(all_args) - len(defaults))
        default = defaults[index] if index >= 0 else None
    elif arg in function.args.kwonlyargs:  # type: ignore[attr-defined]
        default = function.args.kw_defaults[function.args.kwonlyargs.index(arg)]  # type: ignore[attr-defined]
    text = ast.unparse(arg.annotation) if arg.annotation is not None else ""
    if "Depends" in text or "Security" in text or (default is not None and "Depends" in ast.unparse(default)):
        return "injected"
    for marker in ("Body", "Query", "Path", "Header", "Form", "File", "Cookie", "UploadFile"):
        if marker in text or (default is not None and ast.unparse(default).startswith(marker)):
            return f"declared {marker}"
    if arg.annotation is None:
        return "untyped"
    return "typed"


def labelled_repos(labels: Path, only: list[str], half: str = "dev") -> list[tuple[str, Path]]:
    out = []
    for path in sorted(labels.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("half") != half or "repo" not in data:
            continue
        if only and data["repo"] not in only:
            continue
        root = CORPUS / data["repo"].replace("/", "+") / (data.get("review_root") or "")
        if root.is_dir() and any(root.rglob("*.py")):
            out.append((data["repo"], root))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", default=str(HERE / "labels"))
    parser.add_argument("--repo", action="append", default=[])
    parser.add_argument("--json", default="")
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--max-files", type=int, default=0, help="skip repositories with more Python files")
    parser.add_argument("--half", default="dev", choices=("dev", "test", "validation"),
                        help="which labelled repositories; a held-out half prints counts only (no file, line or "
                        "name), so measuring the inventory there does not show what to fix")
    args = parser.parse_args(argv)
    blind = args.half != "dev"
    if blind:
        args.samples = 0
    survey = Survey()
    for repo, root in labelled_repos(Path(args.labels), args.repo, args.half):
        if args.max_files and len(python_files(root)) > args.max_files:
            continue
        print(f"... {repo}", file=sys.stderr)
        try:
            survey_repo(repo, root, survey)
        except Exception as exc:  # noqa: BLE001
            print(f"!!! {repo}: {exc}", file=sys.stderr)
    by_kind = Counter(d.kind for d in survey.declared)
    missing = Counter(d.kind for d, _ in survey.missing)
    print(f"endpoints found: {survey.endpoints}; route declarations: {len(survey.declared)}; "
          f"declared but not an endpoint: {len(survey.missing)}")
    print("\n== declared handlers that are not endpoints, by declaration kind (missing / declared)")
    for kind, n in missing.most_common():
        samples = [f"{d.file}:{d.line} {d.target} -> {where}" for d, where in survey.missing if d.kind == kind]
        print(f"{n:5d} / {by_kind[kind]:5d}  {kind}")
        for sample in samples[:args.samples]:
            print(f"            {sample}")
    print("\n== request reads in endpoints whose attribute the source model does not know (framework, attr)")
    for key, n in survey.unmodelled_reads.most_common(40):
        print(f"{n:5d}  {key[0]:10s}" if blind else f"{n:5d}  {key[0]:10s} {key[1]:24s} {survey.read_samples[key]}")
    print("\n== endpoint parameters neither sourced nor injected (framework, declared as)")
    for key, n in survey.unsourced_params.most_common():
        print(f"{n:5d}  {key[0]:10s} {key[1]:16s}" if blind
              else f"{n:5d}  {key[0]:10s} {key[1]:16s} {'; '.join(survey.param_samples[key][:args.samples])}")
    print("\n== endpoints whose handler has no source model (parameters never client data)")
    for fw, n in survey.handlers_without_info.most_common():
        print(f"{n:5d}  {fw:10s} {'; '.join(survey.noinfo_samples[fw][:args.samples])}")
    print("\n== endpoints by framework and auth status")
    for (fw, auth), n in sorted(survey.auth.items()):
        print(f"{n:5d}  {fw:12s} {auth}")
    print("\n== endpoints whose path is empty or unread, by framework:", dict(survey.unresolved_paths))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "endpoints": survey.endpoints, "declared": len(survey.declared), "missing": len(survey.missing),
            "missing_by_kind": dict(missing), "declared_by_kind": dict(by_kind),
            "missing_items": [] if blind else [[d.kind, d.file, d.line, d.target, w] for d, w in survey.missing],
            "unmodelled_reads": dict(sum((Counter({(k[0] if blind else f"{k[0]} {k[1]}"): n})
                                          for k, n in survey.unmodelled_reads.items()), Counter())),
            "unsourced_params": {f"{k[0]} {k[1]}": n for k, n in survey.unsourced_params.items()},
            "handlers_without_info": dict(survey.handlers_without_info),
            "auth_by_framework": {f"{k[0]} {k[1]}": n for k, n in survey.auth.items()},
            "unresolved_paths": dict(survey.unresolved_paths),
        }, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
