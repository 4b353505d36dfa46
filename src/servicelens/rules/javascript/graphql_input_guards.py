"""Mass assignment through a GraphQL input that only permission-guarded resolvers take: the code's
answer to the schema review's `graphql-privileged-input` finding.

## What it finds
Nothing of its own. The schema review reports an input type that lets clients set a privilege- or
money-bearing field (`input AddRoleInput { role: Role! }`); reading the schema alone it cannot
tell who may call the operations taking it. This rule reads the NestJS resolvers that take the
input (an `@Args()` parameter declared with its type) and withdraws the schema's finding when every
one of them requires a permission: a decorator of a permission library whose guard the
application applies (nest-authz `@UsePermissions` under a global `AuthZGuard`), a project
decorator that applies one, or `@UseGuards(G)` with a guard whose `canActivate` reads the
caller's role or permissions and refuses. Setting a role is then the purpose of an operation
only those allowed to may call.

## Why it matters
A schema finding on an input that only an administrator's operation takes is false: it sends a
reviewer to an operation that is already guarded, and buries the ones that are not.

## Example
```js
@Resolver(() => ApiKeyMutations)
export class ApiKeyMutationsResolver {
  @UsePermissions({ action: AuthAction.UPDATE_ANY, resource: Resource.API_KEY })
  @ResolveField(() => Boolean)
  addRole(@Args('input') input: AddRoleForApiKeyInput) { ... }   // the schema's finding is withdrawn
}
```

## Fix
Nothing to fix where the guard is in place; a resolver taking the input without one keeps the
schema's finding: add the permission decorator the other resolvers use.

## Known problems
A permission decorator defined outside the review (a workspace package) is recognised by the
name of the library decorator its application's global guard enforces, not by its body. Input
types named differently in the schema than in the code (`@InputType('Other')`) are not matched.
Only NestJS code-first resolvers are read.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from servicelens import ir
from servicelens.analysis.facts import FileFacts
from servicelens.model.finding import Finding
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript import _permission_decorators as permissions
from servicelens.rules.javascript.function_authorization import role_checks
from servicelens.taint.scope import ModuleScope

_RESOLVER = "@nestjs/graphql.Resolver"
_ARGS = "@nestjs/graphql.Args"
_USE_GUARDS = "@nestjs/common.UseGuards"
_GLOBAL = "nestjs:global"  # frameworks/nestjs.py GLOBAL: the parent of every global guard's edge
_SCHEMA_RULE = "graphql-privileged-input"


@dataclass(frozen=True, slots=True)
class Taker:
    """A resolver method taking input type `input`, with the project-wide names of the decorators
    and guards on it and on its class."""

    input: str
    decorators: tuple[str, ...]
    guards: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InputGuardFacts:
    takers: tuple[Taker, ...]
    permission_decorators: tuple[str, ...]  # project functions here that apply a library's one
    role_guards: tuple[str, ...]  # guards here whose body checks a role or permission and refuses


def collect(module: ir.Module, scope: ModuleScope) -> InputGuardFacts | None:
    takers = tuple(_takers(module, scope))
    applying = permissions.applying(module, scope)
    guards = tuple(role_checks(module))
    if not takers and not applying and not guards:
        return None
    return InputGuardFacts(takers, applying, guards)


def _name(module: ir.Module, scope: ModuleScope, expr: ir.Expr) -> str:
    return calls.project_name(module, scope, expr.func if isinstance(expr, ir.Call) else expr)


def _takers(module: ir.Module, scope: ModuleScope) -> list[Taker]:
    functions = {f.qualname: f for f in module.functions}
    found = []
    for cls in module.classes:
        if not any(_name(module, scope, d) == _RESOLVER for d in cls.decorators):
            continue
        for qualname in cls.methods:
            function = functions.get(qualname)
            if function is None:
                continue
            decorators = cls.decorators + function.decorators
            names = tuple(n for n in (_name(module, scope, d) for d in decorators) if n)
            guards = tuple(g for d in decorators if isinstance(d, ir.Call) and _name(module, scope, d) == _USE_GUARDS
                           for g in (_name(module, scope, a) for a in d.args) if g)
            for param in function.params:
                if param.annotation is not None and any(_name(module, scope, d) == _ARGS for d in param.decorators):
                    declared = ir.last_name(param.annotation) or ""
                    if declared:
                        found.append(Taker(declared, names, guards))
    return found


def without_guarded_inputs(findings: Sequence[Finding], facts: Sequence[FileFacts]) -> list[Finding]:
    """The findings, less the schema's privileged-input findings on input types that only
    permission-guarded resolvers take."""
    per_file = [dict(fact.collected).get(RULE.id) for fact in facts]
    gathered = [f for f in per_file if isinstance(f, InputGuardFacts)]
    if not gathered:
        return list(findings)
    guarded = _guarded_inputs(gathered, {include.child for fact in facts for include in fact.router_includes
                                         if include.parent == _GLOBAL}, {fact.module_name for fact in facts})
    return [f for f in findings if not (f.rule == _SCHEMA_RULE and _input_of(f) in guarded)]


def _input_of(finding: Finding) -> str:
    """`graphql-privileged-input:AddRoleInput.role` -> "AddRoleInput"."""
    return finding.key.rpartition(":")[2].partition(".")[0]


def _guarded_inputs(gathered: list[InputGuardFacts], global_guards: set[str], modules: set[str]) -> frozenset[str]:
    """`modules`: the project's module names; a decorator under none of them is defined outside the review."""
    library = permissions.library()  # decorator -> the guard enforcing it
    applying = {name for f in gathered for name in f.permission_decorators}
    role_guards = {name for f in gathered for name in f.role_guards}

    def guarded(taker: Taker) -> bool:
        applied = global_guards | set(taker.guards)
        if role_guards & set(taker.guards):
            return True
        for name in taker.decorators:
            enforcer = library.get(name)
            if enforcer is None and name in applying:
                enforcer = next(iter(set(library.values()) & applied), None)  # a project decorator applying one
            if enforcer is None and permissions.outside_review(name, modules):
                enforcer = library.get(permissions.named_as_library(name))  # named as the library's one
            if enforcer is not None and enforcer in applied:
                return True
        return False

    verdicts: dict[str, bool] = {}
    for f in gathered:
        for taker in f.takers:
            verdicts[taker.input] = verdicts.get(taker.input, True) and guarded(taker)
    return frozenset(name for name, ok in verdicts.items() if ok)


RULE = Rule("js-graphql-input-guards", frozenset({"mass-assignment"}), "javascript", no_findings, collect=collect)
