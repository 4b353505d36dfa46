"""REST resources generated from ORM models (finale-rest, epilogue): endpoints with no code of their own.

    finale.initialize({ app, sequelize, base: '/api' });
    const users = finale.resource({ model: User, endpoints: ['/users', '/users/:id'] });
    users.delete.auth((req, res, context) => { ... res.status(403) ... context.stop(); });

`resource()` adds, on the application handed to `initialize()`, one route per action the
library documents (create and list on the plural path, read, update and delete on the
singular one; `actions` restricts them, `updateMethod` changes update's verb), each answered by
the library's own controller: the model is read and written as the request says. Milestone
hooks (`users.create.write.before(fn)`, `users.all.auth(fn)`) run inside those requests, and
a function set on the `auth` milestone that refuses the caller guards its action's routes.
The shapes are data (models/node/frameworks.yaml `rest_resources`); frameworks/express.py
reads the calls in statement order, so middleware `use`d before `resource()` applies.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from servicelens import ir
from servicelens.frameworks.js_knowledge import node_frameworks


@dataclass(frozen=True, slots=True)
class ResourceKnowledge:
    packages: frozenset[str]
    initialize: str
    resource: str
    app_option: str
    base_option: str
    endpoints_option: str
    actions_option: str
    update_method_option: str
    actions: Mapping[str, tuple[str, int]]  # action -> (HTTP method, 0 plural path / 1 singular path)
    every_action: str  # the meta action whose hooks apply to all (`users.all.auth(...)`)
    guard_milestones: frozenset[str]


@dataclass(frozen=True, slots=True)
class ResourceRoute:
    action: str
    method: str
    path: str


@lru_cache(maxsize=1)
def resource_knowledge() -> ResourceKnowledge:
    data = node_frameworks()
    r = data["rest_resources"]
    return ResourceKnowledge(
        packages=frozenset(r["packages"]), initialize=str(r["initialize"]), resource=str(r["resource"]),
        app_option=str(r["app_option"]), base_option=str(r["base_option"]),
        endpoints_option=str(r["endpoints_option"]), actions_option=str(r["actions_option"]),
        update_method_option=str(r["update_method_option"]),
        actions=MappingProxyType({str(k): (str(v[0]), int(v[1])) for k, v in r["actions"].items()}),
        every_action=str(r["every_action"]), guard_milestones=frozenset(r["guard_milestones"]))


def resource_routes(options: ir.Expr, base: str, knowledge: ResourceKnowledge) -> tuple[ResourceRoute, ...]:
    """The routes one `resource({...})` call declares; () when its endpoints are not literal."""
    endpoints = ir.option(options, knowledge.endpoints_option)
    paths = [e.value for e in endpoints.elts if isinstance(e, ir.Const) and isinstance(e.value, str)] \
        if isinstance(endpoints, ir.Seq) else []
    if not paths:
        return ()
    chosen = ir.option(options, knowledge.actions_option)
    actions = [a.value for a in chosen.elts if isinstance(a, ir.Const) and a.value in knowledge.actions] \
        if isinstance(chosen, ir.Seq) else list(knowledge.actions)
    verb = ir.option(options, knowledge.update_method_option)
    found = []
    for action in actions:
        method, which = knowledge.actions[action]
        if action == "update" and isinstance(verb, ir.Const) and isinstance(verb.value, str):
            method = verb.value.upper()
        if which < len(paths):
            found.append(ResourceRoute(action, method, _joined(base, paths[which])))
    return tuple(found)


def milestone_hook(call: ir.Call, resources_by_name: Mapping[str, object],
                   knowledge: ResourceKnowledge) -> tuple[str, str, str] | None:
    """`users.create.write.before(fn)` / `users.all.auth(fn)`: (resource variable, action,
    milestone) for a call that sets a hook on a resource this module declared."""
    parts: list[str] = []
    node: ir.Expr = call.func
    while isinstance(node, ir.Attr):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ir.Name) or node.id not in resources_by_name or len(parts) < 2:
        return None
    parts.reverse()
    action, milestone = parts[0], parts[1]
    if action != knowledge.every_action and action not in knowledge.actions:
        return None
    return node.id, action, milestone


def _joined(base: str, path: str) -> str:
    if not base.strip("/"):
        return path
    return "/" + base.strip("/") + ("" if path in ("", "/") else "/" + path.lstrip("/"))
