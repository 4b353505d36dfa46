"""HTTP clients built by the project's own factory: where the factory hands the client's bound
on from its options (`axios.create({ timeout: opts.timeoutMs })`), each caller decides it, and a
caller that leaves the option out builds a client that never gives up.

Two facts per file, joined project-wide by missing-timeout's `combine`: the factories a module
defines (a function or method that builds an axios/got client whose timeout is a field of one
of its parameters, with no default of its own), and the calls a module makes of a project
function or method (an imported function, a method on a parameter, local or member typed with a
project class) with an object literal at some position. A call naming the factory's field, or
passing options the review cannot read (a variable, a spread), is taken as bounded.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.rules.base import iter_calls
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import has_spread, knowledge, named_calls
from servicelens.taint.scope import ModuleScope


@dataclass(frozen=True, slots=True)
class Factory:
    """A project function building a client whose bound is its parameter's field."""

    key: str  # `src.http.makeClient.makeClient`, `src.http.Builder.Builder.build`
    index: int  # the options parameter's position
    field: str  # the option that becomes the client's timeout


@dataclass(frozen=True, slots=True)
class FactoryCall:
    """A call of a project function with an object literal: a client built, if it is a factory."""

    key: str
    index: int
    keys: frozenset[str]  # the literal's keys; a spread makes the call unreadable and is never kept
    line: int
    written: str  # the callee as written, for the message


def factories(module: ir.Module, scope: ModuleScope) -> Iterator[Factory]:
    """Functions of this module that build an HTTP client bounded by a parameter's field."""
    known = knowledge().http_calls
    for named in named_calls(module, scope):
        spec = known.get(named.name)
        function = named.function
        if function is None or spec is None or spec.options < 0 or not named.name.endswith((".create", ".extend")):
            continue
        options = named.call.args[spec.options] if len(named.call.args) > spec.options else None
        if not isinstance(options, ir.DictExpr):
            continue
        params = [p.name for p in function.params]
        for key, value in zip(options.keys, options.values):
            if isinstance(key, ir.Const) and key.value in spec.keys:
                found = _parameter_field(value, params)
                if found is not None:
                    yield Factory(_function_key(module, function), *found)


def named(key: str, aliases: Mapping[str, str]) -> str:
    """A key as the defining module names it: `api.externalapi.default` (a default import) is the
    class the module exports by default, `api.externalapi.ExternalAPI` (`_calls.aliases`)."""
    return calls.dealiased(".".join(part for part in key.split(".") if part != "default"), aliases)


def _function_key(module: ir.Module, function: ir.Function) -> str:
    """How callers name the function: a constructor by its class (`new Api({...})`, `super({...})`)."""
    if function.class_name and function.name == "constructor":
        return f"{module.module_name}.{function.class_name}"
    owner = f"{function.class_name}." if function.class_name else ""
    return f"{module.module_name}.{owner}{function.name}"


def _parameter_field(value: ir.Expr, params: list[str]) -> tuple[int, str] | None:
    """`opts.timeoutMs` (or got's `{ request: opts.deadlineMs }`) of parameter `opts` -> (its index,
    `timeoutMs`); None for anything else, a default of the factory's own (`opts.t ?? 5000`) included."""
    if isinstance(value, ir.DictExpr) and len(value.values) == 1 and value.values[0] is not None:
        value = value.values[0]
    if isinstance(value, ir.Attr) and isinstance(value.value, ir.Name) and value.value.id in params:
        return params.index(value.value.id), value.attr
    return None


def factory_calls(module: ir.Module, scope: ModuleScope) -> Iterator[FactoryCall]:
    """Calls of project functions and methods with an object literal, without a spread."""
    held = dict(calls.members(module, scope))
    for function in module.functions:
        typed = {p.name: calls.project_name(module, scope, p.annotation) for p in function.params
                 if p.annotation is not None}
        for call in iter_calls(function.body):
            yield from _literal_options(call, _callee(module, scope, function, call, typed, held))
    for call in iter_calls(module.body):
        yield from _literal_options(call, calls.project_name(module, scope, call.func))


def _literal_options(call: ir.Call, key: str) -> Iterator[FactoryCall]:
    for index, arg in enumerate(call.args if key else ()):
        if isinstance(arg, ir.DictExpr) and not has_spread(arg):
            keys = frozenset(str(k.value) for k in arg.keys if isinstance(k, ir.Const))
            yield FactoryCall(key, index, keys, call.line, ir.dotted_name(call.func) or key)


def _callee(module: ir.Module, scope: ModuleScope, function: ir.Function, call: ir.Call,
            typed: Mapping[str, str], held: Mapping[str, str]) -> str:
    """The project key of what the call runs: `builder.build` on a parameter typed `Builder`,
    `this.factory.create` on a member holding one, an imported or local function."""
    func = call.func
    if isinstance(func, ir.Name) and func.id == "super" and function.class_name:
        # a subclass's constructor handing its options to the base class's
        cls = next((c for c in module.classes if c.qualname == function.class_name), None)
        return calls.project_name(module, scope, cls.bases[0]) if cls is not None and cls.bases else ""
    if isinstance(func, ir.Attr):
        owner = ir.dotted_name(func.value) or ""
        if owner in typed and typed[owner]:
            return f"{typed[owner]}.{func.attr}"
        head, _, member = owner.partition(".")
        if head == "self" and member and function.class_name:
            cls = held.get(f"{module.module_name}.{function.class_name}.{member}", "")
            return f"{cls}.{func.attr}" if cls else ""
    return calls.project_name(module, scope, func)
