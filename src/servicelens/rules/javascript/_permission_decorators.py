"""Decorators that declare the permission a NestJS handler requires, judged by what they are.

    @UsePermissions({ action, resource })       nest-authz's own (models/node/rules.yaml `permission_decorators`)
    @RequirePermission('update', 'api_key')     a project decorator whose body applies a library's one
    @UsePermissions(...) from a workspace package the review does not hold: named as a library's one

A library's decorator only attaches metadata; the library's guard (`AuthZGuard`, applied globally
or with `@UseGuards`) enforces it. Which of these a handler carries is the question both the
sibling comparison (function_authorization) and the GraphQL input review (graphql_input_guards) ask.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from servicelens import ir
from servicelens.rules.base import iter_calls
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import knowledge
from servicelens.taint.scope import ModuleScope


def library() -> Mapping[str, str]:
    """Library permission decorators -> the guard of the same library that enforces them."""
    return knowledge().permission_decorators


def applying(module: ir.Module, scope: ModuleScope) -> tuple[str, ...]:
    """Project-wide names of this module's functions that apply a library permission decorator
    (in their body or in the decorator they return)."""
    known = library()
    found = []
    for function in module.functions:
        if ".<locals>." in function.qualname:
            continue
        family = [function] + [f for f in module.functions if f.qualname.startswith(function.qualname + ".<locals>.")]
        if any(calls.project_name(module, scope, call.func) in known for f in family for call in iter_calls(f.body)):
            found.append(f"{module.module_name}.{function.qualname}")
    return tuple(found)


def outside_review(name: str, modules: Iterable[str]) -> bool:
    """`name` is defined in no module of the review (a package it imports)."""
    return not any(name.startswith(f"{module}.") for module in modules)


def named_as_library(name: str) -> str:
    """The library decorator a decorator is named as (`...use-permissions.directive.UsePermissions`
    -> `nest-authz.UsePermissions`), or ''."""
    last = name.rsplit(".", 1)[-1]
    return next((decorator for decorator in library() if decorator.rsplit(".", 1)[-1] == last), "")
