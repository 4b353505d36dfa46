"""GraphQL resolver maps (Apollo Server, graphql-tools, graphql-yoga, mercurius): operations with a
function each, the way the servers' documentation defines them.

    const resolvers = {
      Query: { order: (parent, args, context) => orders.find(args.id) },
      Mutation: { cancelOrder: async (_, { id }) => orders.cancel(id) },
      Subscription: { orderChanged: { subscribe: () => pubsub.asyncIterator('ORDER') } },
    };

The map's top-level keys are the schema's root operation types (models/node/frameworks.yaml
`graphql`); every field of one is an operation a client sends, answered by its function, which is
handed the operation's arguments second. Each becomes a route of kind QUERY / MUTATION /
SUBSCRIPTION named by its field (as NestJS resolvers and Python's are), so what it calls is request
code and its arguments are client input. Who may call it is the server's context's business,
which is not read here: auth stays unknown.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.nestjs import HandlerParams
from servicelens.frameworks.js_knowledge import node_frameworks

FRAMEWORK = "graphql"
_ARGUMENT_LABEL = "GraphQL argument"
_UNDECIDED = "a GraphQL resolver: who may call it is decided by the server's context, not read here"


@dataclass(frozen=True, slots=True)
class ResolverFacts:
    routes: tuple[RouteFact, ...]
    handlers: tuple[HandlerParams, ...]


@lru_cache(maxsize=1)
def _root_types() -> Mapping[str, str]:
    data = node_frameworks()
    g = data["graphql"]
    return MappingProxyType({str(k): str(v) for k, v in g["root_types"].items()})


def resolver_facts(module: ir.Module) -> ResolverFacts:
    functions = {f.qualname: f for f in module.functions}
    routes: list[RouteFact] = []
    handlers: list[HandlerParams] = []
    for kind, field, function in _operations(module, functions):
        routes.append(RouteFact(function.qualname, FRAMEWORK, (kind,), field, function.line, "unknown", _UNDECIDED))
        if len(function.params) > 1:
            handlers.append(HandlerParams(function.qualname, ((function.params[1].name, _ARGUMENT_LABEL),), frozenset()))
    return ResolverFacts(tuple(routes), tuple(handlers))


def _operations(module: ir.Module, functions: Mapping[str, ir.Function]) -> Iterator[tuple[str, str, ir.Function]]:
    roots = _root_types()
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.DictExpr):
            continue
        for key, value in zip(stmt.value.keys, stmt.value.values):
            kind = roots.get(key.value) if isinstance(key, ir.Const) and isinstance(key.value, str) else None
            if kind is None or not isinstance(value, ir.DictExpr):
                continue
            for field, resolver in zip(value.keys, value.values):
                if not isinstance(field, ir.Const) or not isinstance(field.value, str):
                    continue
                if isinstance(resolver, ir.DictExpr):  # a subscription's `{ subscribe, resolve }`
                    resolver = ir.option(resolver, "subscribe") or ir.option(resolver, "resolve") or resolver
                function = functions.get(resolver.id) if isinstance(resolver, ir.Name) else None
                if function is not None:
                    yield kind, field.value, function
