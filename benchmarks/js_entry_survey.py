#!/usr/bin/env python3
"""Survey of JS/TS entry points and request reads servicelens does not see, on development code.

A route servicelens does not turn into an endpoint is reviewed as code nobody calls; a request
read it does not treat as client input is never a source. This script counts both, by form,
over the development JS/TS triage repositories (`half: dev` labels whose review root declares
Express, NestJS, Fastify, Koa, Hapi or Restify) and the development recall sets, so a change to
route or source reading can be measured before and after:

    .venv/bin/python benchmarks/js_entry_survey.py [--only NAME ...] [--json] [-v] [--half test|validation]

A held-out half (`--half test|validation`) prints counts only, never a file, line or attribute.

Registrations are found here by their syntax alone, independently of frameworks/ (a call
`x.get('/path', ..., handler)`, `x.route(p).post(h)`, `x.route({method, url, handler})`, an
object `{method, path, handler}` in a route table, a `@Get()` method of a `@Controller` class),
then looked up among the endpoints of servicelens's own report (one cheap rule selected: the
inventory is built whatever rules run) by file
and line. For each handler defined where it is registered, its request parameter is checked
against the JavaScript knowledge (models/javascript): named or typed as a request, and which of
its attributes it reads that the knowledge does not list. `-v` prints each unmatched
registration (development material only).
"""
from __future__ import annotations

import argparse
import glob
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LABELS = HERE / "triage" / "labels"
CORPUS = Path("/work/corpus")
RECALL_SETS = ("recall-node-dev", "recall-node-dev-2", "recall-node-holdout-2")
EXTERNAL = {"nodegoat": Path("/work/ext/nodegoat")}
SERVER_PACKAGES = frozenset({"express", "fastify", "koa", "@nestjs/core", "@hapi/hapi", "hapi", "@koa/router",
                             "koa-router", "restify"})
VERBS = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "head", "options"})
NEST_VERBS = frozenset({"Get", "Post", "Put", "Patch", "Delete", "All", "Head", "Options"})
SKIPPED_DIRS = re.compile(r"(^|/)(node_modules|dist|build|coverage|test|tests|__tests__|e2e|fixtures|public"
                          r"|client|frontend|web|static)(/|$)")
SKIPPED_FILES = re.compile(r"\.(spec|test|e2e-spec|d)\.[cm]?[jt]sx?$")
SOURCES = re.compile(r"\.(m|c)?(js|ts)$")
# what a route is registered on when its path is computed (`router.get(name, ...)`): by its name
ROUTERS = re.compile(r"(?i)(app|router|server|routes?|api|fastify|instance)$")


@dataclass(frozen=True, slots=True)
class Registration:
    path: str
    line: int
    end_line: int
    form: str
    handler: str  # qualname of a handler defined in the file, "" otherwise


@dataclass(frozen=True, slots=True)
class RequestUse:
    """How a handler defined at its registration takes the request."""

    param: str  # named | typed | destructured-untyped | other-name | none
    unmodelled: tuple[str, ...]  # attributes read off it that the knowledge does not list


def targets(only: list[str], half: str = "dev") -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for path in sorted(LABELS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("half") != half or "repo" not in data:
            continue
        repo = CORPUS / data["repo"].replace("/", "+")
        root = repo / (data.get("review_root") or "")
        # the review root's own manifests, or one in a folder above it (a package's `src`, a monorepo)
        above = [root.parents[i] for i in range(len(root.relative_to(repo).parts))]
        if root.is_dir() and (_serves_http(root) or any(_serves_http(p, recursive=False) for p in above)):
            found.append((data["repo"], root))
    if half != "dev":
        return [(n, r) for n, r in found if not only or any(o in n for o in only)]
    for name in RECALL_SETS:
        if not (HERE / name).is_dir():
            continue  # a held-out set absent from this checkout
        found.extend((f"{name}/{d.name}", d) for d in sorted((HERE / name).iterdir())
                     if d.is_dir() and (d / "planted.yaml").exists())
    found.extend((name, root) for name, root in EXTERNAL.items() if root.exists())
    return [(n, r) for n, r in found if not only or any(o in n for o in only)]


def _serves_http(root: Path, recursive: bool = True) -> bool:
    for manifest in glob.glob(f"{root}/**/package.json" if recursive else f"{root}/package.json", recursive=recursive):
        if "node_modules" in manifest:
            continue
        try:
            data = json.loads(Path(manifest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and SERVER_PACKAGES & {*data.get("dependencies", {}), *data.get("devDependencies", {})}:
            return True
    return False


def endpoints(name: str, root: Path, saved: Path | None) -> list[tuple]:
    """(file, line, framework, auth, path, auth evidence) of every endpoint of servicelens's report; with `saved`,
    read from (or written to) `saved/<name>.json`, so the syntactic side can be re-run without
    reviewing again."""
    cached = saved / f"{name.replace('/', '+')}.json" if saved is not None else None
    if cached is not None and cached.exists():
        return [tuple(row) for row in json.loads(cached.read_text(encoding="utf-8"))]  # type: ignore[misc]
    cli = str(Path(sys.executable).parent / "servicelens")
    done = subprocess.run([cli, "review", str(root), "--format", "json", "--no-cache", "--quiet", "--profile",
                           "extended", "--select", "debug-enabled", "--jobs", "1"], capture_output=True, text=True, check=False)
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    found = sorted({(e["location"]["path"], e["location"]["start_line"], e.get("framework", ""), e.get("auth", ""),
                     e.get("path", ""), e.get("auth_evidence", ""))
                    for s in (report.get("overview") or {}).get("services") or () for e in s.get("endpoints") or ()})
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(found), encoding="utf-8")
    return found


def _reason(evidence: str) -> str:
    """The auth evidence without what names one project's code (`names`, lines, paths), so the
    reasons an endpoint stays unknown can be counted across projects."""
    reason = re.sub(r"`[^`]*`", "`X`", evidence)
    reason = re.sub(r"\(line \d+\)|line \d+", "line N", reason)
    reason = re.sub(r"\([^()]*\.include_router\)", "(X)", reason)
    reason = re.sub(r"\S+/\S+", "P", reason)  # a file's path (a route manifest's)
    return reason[:110] or "(no evidence)"


def _unresolved(path: str) -> bool:
    """A route path the inventory could not read: empty, or holding a `{name}` placeholder for a
    value written elsewhere (a constant, a template substitution)."""
    return not path or "{" in path


def scan(root: Path) -> tuple[list[Registration], dict[str, RequestUse]]:
    from servicelens import ir
    from servicelens.analysis.javascript_side import browser_side
    from servicelens.lang.javascript import grammar_for, language_for, lower_module
    from servicelens.sources.parsing import ParserPool
    from servicelens.taint.models import load_models

    models = load_models("javascript")
    parsers = ParserPool()
    registrations: list[Registration] = []
    uses: dict[str, RequestUse] = {}
    for file in sorted(root.rglob("*")):
        rel = file.relative_to(root).as_posix()
        if not file.is_file() or not SOURCES.search(rel) or SKIPPED_DIRS.search(rel) or SKIPPED_FILES.search(rel):
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if len(text) > 400_000:
            continue
        tree = parsers.parse(grammar_for(rel), text.encode("utf-8", "surrogateescape"))
        module = lower_module(tree.root_node, rel, tuple(text.splitlines()), language_for(rel))
        if browser_side(module, rel):
            continue
        functions = {f.qualname: f for f in module.functions}
        found = list(_calls(module, rel, functions, ir)) + list(_nest(module, rel, ir))
        registrations.extend(found)
        for registration in found:
            if registration.handler in functions:
                uses[f"{rel}:{registration.line}"] = _request_use(functions[registration.handler], models, ir)
    return registrations, uses


def _calls(module, rel, functions, ir):  # type: ignore[no-untyped-def]
    bodies = [module.body] + [f.body for f in module.functions]
    in_route_call: set[int] = set()
    for body in bodies:
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for expr in ir.walk_expr(root):
                    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
                        found = _registration(expr, rel, functions, ir)
                        if found is not None:
                            if found.form == "route-object":
                                in_route_call.update(id(e) for e in ir.walk_expr(expr))
                            yield found
                    elif isinstance(expr, ir.DictExpr) and id(expr) not in in_route_call:
                        keys = {k.value for k in expr.keys if isinstance(k, ir.Const)}
                        nested = {k2.value for k, v in zip(expr.keys, expr.values)
                                  if isinstance(k, ir.Const) and k.value in ("options", "config")
                                  and isinstance(v, ir.DictExpr) for k2 in v.keys if isinstance(k2, ir.Const)}
                        if "method" in keys and keys & {"path", "url"} and (keys | nested) & {"handler", "action",
                                                                                                "controller"}:
                            # hapi also takes the handler in the route's `options` (`config` before v17)
                            handler = ir.option(expr, "handler")
                            yield Registration(rel, expr.line, _end(expr, ir), "route-table",
                                               _local(handler, functions, ir))


def _registration(call, rel, functions, ir):  # type: ignore[no-untyped-def]
    method = call.func.attr
    args = call.args
    end = call.end_line or call.line
    if method == "route" and len(args) == 1 and isinstance(args[0], ir.DictExpr):
        keys = {k.value for k in args[0].keys if isinstance(k, ir.Const)}
        if keys & {"url", "path"} and "handler" in keys:
            return Registration(rel, call.line, end, "route-object", _local(ir.option(args[0], "handler"), functions, ir))
        return None
    if method == "use" and len(args) >= 2 and _path_literal(args[0], ir):
        handler = _local(args[-1], functions, ir)
        if handler and _answers(functions[handler], ir):
            return Registration(rel, call.line, end, "use-answering", handler)
        return None
    if method not in VERBS or not args:
        return None
    receiver = call.func.value
    if _route_chain(receiver, ir):
        # Express `router.route('/p').get(h).post(h2)`: each verb of the chain is a registration
        return Registration(rel, call.line, end, "route-chain", _local(args[-1], functions, ir))
    if len(args) >= 3 and isinstance(args[0], ir.Const) and isinstance(args[0].value, str) \
            and not args[0].value.startswith("/") and _path_literal(args[1], ir):
        # koa-router's named route: `router.get('user', '/users/:id', handler)`
        return Registration(rel, call.line, end, "verb-named", _local(args[-1], functions, ir))
    if len(args) < 2:
        return None
    last = args[-1]
    inline = isinstance(last, ir.Name) and last.id.startswith("<anon@")
    path = args[0]
    if isinstance(path, ir.Const) and isinstance(path.value, str):
        if not (path.value.startswith("/") or path.value == "*"):
            return None
        form = "verb-literal"
    elif isinstance(path, ir.FormattedString):
        form = "verb-template"
    elif isinstance(path, (ir.BinOp, ir.Name, ir.Attr)) and (inline or isinstance(last, (ir.Attr, ir.Call))) \
            and ROUTERS.search(ir.last_name(receiver)):
        form = "verb-computed-path"
    elif isinstance(path, ir.Seq) and path.elts and all(_path_literal(p, ir) for p in path.elts):
        form = "verb-path-list"
    else:
        return None
    if not (inline or isinstance(last, (ir.Name, ir.Attr, ir.Call))):
        return None
    if isinstance(receiver, ir.Name) and receiver.id in ("axios", "http", "https", "request", "superagent", "got",
                                                       "fetch", "client", "api", "ky", "needle"):
        return None  # an HTTP client's call
    return Registration(rel, call.line, end, form, _local(last, functions, ir))


def _route_chain(expr, ir) -> bool:  # type: ignore[no-untyped-def]
    """`x.route('/p')` or a verb call chained on it (`x.route('/p').get(h)`)."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        if expr.func.attr == "route":
            return len(expr.args) == 1 and _path_literal(expr.args[0], ir)
        if expr.func.attr not in VERBS:
            return False
        expr = expr.func.value
    return False


_ANSWERS = frozenset({"send", "json", "sendFile", "download", "render", "redirect", "end", "sendStatus"})


def _answers(function, ir) -> bool:  # type: ignore[no-untyped-def]
    """A function given to `use` that answers the request (`res.send(...)`) and never hands it on
    (`next()`): an endpoint for every method under its path, not a middleware."""
    if len(function.params) < 2:
        return False
    response, onward = function.params[1].name, function.params[2].name if len(function.params) > 2 else ""
    answered = False
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id == onward:
                    return False
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _ANSWERS \
                        and (ir.dotted_name(node.func.value) or "").split(".")[0] == response:
                    answered = True
    return answered


def _path_literal(expr, ir) -> bool:  # type: ignore[no-untyped-def]
    return isinstance(expr, ir.FormattedString) or (
        isinstance(expr, ir.Const) and isinstance(expr.value, str) and expr.value.startswith("/"))


def _nest(module, rel, ir):  # type: ignore[no-untyped-def]
    controllers = {c.qualname for c in module.classes
                   if any(ir.last_name(d.func if isinstance(d, ir.Call) else d) == "Controller" for d in c.decorators)}
    for function in module.functions:
        if function.class_name not in controllers:
            continue
        for decorator in function.decorators:
            name = ir.last_name(decorator.func if isinstance(decorator, ir.Call) else decorator)
            if name in NEST_VERBS:
                yield Registration(rel, decorator.line, function.line, "nest-decorator", "")


def _local(expr, functions, ir) -> str:  # type: ignore[no-untyped-def]
    while isinstance(expr, ir.Call) and len(expr.args) == 1:  # `asyncHandler(async (req, res) => ...)`
        expr = expr.args[0]
    return expr.id if isinstance(expr, ir.Name) and expr.id in functions else ""


def _end(expr, ir) -> int:  # type: ignore[no-untyped-def]
    return max((getattr(e, "line", 0) for e in ir.walk_expr(expr)), default=expr.line)


def _request_use(function, models, ir) -> RequestUse:  # type: ignore[no-untyped-def]
    if not function.params:
        return RequestUse("none", ())
    first = function.params[0]
    annotation = (ir.dotted_name(first.annotation) or "") if first.annotation is not None else ""
    if first.name in models.request_param_names:
        kind = "named"
    elif annotation and (annotation in models.request_param_annotations
                         or annotation.rsplit(".", 1)[-1] in models.request_param_annotations):
        kind = "typed"
    elif first.name.startswith("<param"):
        kind = "destructured-untyped"
    else:
        kind = "other-name"
    known = set(models.request_attributes) | set(models.request_views)
    unmodelled = []
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for expr in ir.walk_expr(root):
                if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id == first.name \
                        and expr.attr not in known:
                    unmodelled.append(expr.attr)
    return RequestUse(kind, tuple(unmodelled))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=[], help="substrings of the targets to survey")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", action="store_true", help="each unmatched registration")
    parser.add_argument("--saved", type=Path, help="a directory keeping each target's endpoints (reused when present)")
    parser.add_argument("--half", default="dev", choices=("dev", "test", "validation"),
                        help="which labelled repositories (recall sets only with dev); a held-out half prints counts "
                        "only, never a file, line or attribute, so measuring there does not show what to fix")
    options = parser.parse_args()
    blind = options.half != "dev"
    if blind:
        options.v = False
    totals: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    params: Counter[str] = Counter()
    attrs: Counter[str] = Counter()
    per_target = {}
    auths: Counter[tuple[str, str]] = Counter()
    unresolved: Counter[str] = Counter()
    why: Counter[tuple[str, str]] = Counter()
    for name, root in targets(options.only, options.half):
        registrations, uses = scan(root)
        rows = endpoints(name, root, options.saved)
        seen = {(row[0], row[1]) for row in rows}
        for _, _, framework, auth, path, *evidence in rows:
            auths[(framework, auth)] += 1
            if auth == "unknown":
                # a held-out half: by framework only (the reasons' wording could show what to fix)
                why[(framework, "(held out)" if blind else _reason(evidence[0] if evidence else ""))] += 1
            if _unresolved(path):
                unresolved[framework] += 1
        unmatched = [r for r in registrations
                     if not any((r.path, line) in seen for line in range(r.line, max(r.end_line, r.line) + 1))]
        totals.update(r.form for r in registrations)
        missed.update(r.form for r in unmatched)
        for use in uses.values():
            params[use.param] += 1
            attrs.update(set(use.unmodelled))
        per_target[name] = {"registrations": len(registrations), "unmatched": len(unmatched),
                            "endpoints": len(seen)}
        if not options.json:
            print(f"{name}: {len(registrations)} registrations, {len(unmatched)} not endpoints, "
                  f"{len(seen)} endpoints", flush=True)
            if options.v:
                for r in unmatched:
                    print(f"    {r.form:20} {r.path}:{r.line}")
    summary = {"targets": per_target, "registrations": dict(totals), "not_endpoints": dict(missed),
               "request_param": dict(params),
               "unmodelled_attributes": {"(held out)": sum(attrs.values())} if blind else dict(attrs.most_common(25)),
               "auth_by_framework": {f"{f} {a}": n for (f, a), n in sorted(auths.items())},
               "path_unresolved_by_framework": dict(unresolved),
               "unknown_why": {f"{f}: {r}": n for (f, r), n in why.most_common()}}
    if options.json:
        print(json.dumps(summary, indent=1, sort_keys=True))
    else:
        print("TOTAL registrations", sum(totals.values()), "not endpoints", sum(missed.values()))
        for form in sorted(totals):
            print(f"  {form:22} {totals[form]:5} not endpoints {missed[form]:4}")
        print("request parameter of handlers defined at registration:", dict(params))
        print("attributes read off it the knowledge does not list (handlers reading each):",
              summary["unmodelled_attributes"])
        print("endpoints by framework and auth status:", summary["auth_by_framework"])
        print("endpoints whose path is empty or holds a placeholder, by framework:", dict(unresolved))
        print("endpoints whose auth stays unknown, by framework and why:")
        for (framework, reason), n in why.most_common():
            print(f"  {n:5} {framework:8} {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
