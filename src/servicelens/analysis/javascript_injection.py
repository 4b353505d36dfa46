"""What an untyped constructor parameter holds: dependencies handed in by whoever builds the object.

    class UserController {                       const controller = new UserController(new UserService());
      constructor(service) {                     router.get('/', controller.list.bind(controller));
        this.service = service;   // arg 0
      }
      list(req, res) { this.service.all() }      // -> UserService.all
    }

Plain JavaScript has no parameter types (TypeScript's are read in analysis/javascript_file.py), so
the class a member holds is found where the object is built. Both sides are filed as factory
summaries (`returns_class`), which the resolver already follows one hop at a time
(taint/resolve.py `_inherited`):

  - the class's module: `Class.member` returns an instance of `Class.<arg0>`; when the class is
    what the module exports, `Class.<arg0>` returns one of `<module>.<arg0>` (or
    `<module>.default.<arg0>`), the name a construction site that imported the module uses;
  - each construction site `new C(x, ...)`: `C.<arg0>` returns an instance of the class `x` was
    built from (`new X()`, a local bound to one, or an imported instance or module).

Several sites building the same class with different arguments: the first one filed is followed.
"""
from __future__ import annotations

from typing import Iterator, Mapping

from servicelens import ir
from servicelens.taint.summary import FunctionSummary

_CONSTRUCTOR = "constructor"


def injected_members(module: ir.Module, imports: Mapping[str, str]) -> Iterator[FunctionSummary]:
    yield from _member_slots(module)
    yield from _construction_sites(module, imports)


def argument_key(built: str, index: int) -> str:
    return f"{built}.<arg{index}>"


def _member_slots(module: ir.Module) -> Iterator[FunctionSummary]:
    """`this.service = service` in a constructor, `service` its untyped parameter number i."""
    exported = _exported_classes(module)
    for function in module.functions:
        if function.name != _CONSTRUCTOR or not function.class_name:
            continue
        untyped = {p.name: i for i, p in enumerate(function.params) if p.annotation is None and p.name != "self"}
        owner = f"{module.module_name}.{function.class_name}"
        used: set[int] = set()
        for stmt in function.body:
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Name) or stmt.value.id not in untyped:
                continue
            index = untyped[stmt.value.id]
            for target in stmt.targets:
                if isinstance(target, ir.Attr) and ir.dotted_name(target.value) == "self":
                    used.add(index)
                    yield _factory(f"{owner}.{target.attr}", module.path, stmt.line, argument_key(owner, index))
        for alias in exported.get(function.class_name, ()):
            for index in sorted(used):
                yield _factory(argument_key(owner, index), module.path, function.line, argument_key(alias, index))


def _exported_classes(module: ir.Module) -> dict[str, tuple[str, ...]]:
    """Class -> the names importers build it by: the module (`module.exports = C`) or its default."""
    classes = {c.qualname for c in module.classes}
    out: dict[str, tuple[str, ...]] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in classes:
            for target in stmt.targets:
                dotted = ir.dotted_name(target)
                if dotted == "module.exports":
                    out[stmt.value.id] = out.get(stmt.value.id, ()) + (module.module_name,)
                elif dotted == "default":
                    out[stmt.value.id] = out.get(stmt.value.id, ()) + (f"{module.module_name}.default",)
    return out


def _construction_sites(module: ir.Module, imports: Mapping[str, str]) -> Iterator[FunctionSummary]:
    classes = {c.qualname for c in module.classes}
    bodies: list[tuple[ir.Stmt, ...]] = [module.body] + [f.body for f in module.functions]
    for body in bodies:
        built = _built_locals(body, module, imports, classes)
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for call in (n for n in ir.walk_expr(root) if isinstance(n, ir.Call)):
                    made = _class_name(call.func, module, imports, classes)
                    if not made:
                        continue
                    for index, arg in enumerate(call.args):
                        held = _held_class(arg, built, module, imports, classes)
                        if held:
                            yield _factory(argument_key(made, index), module.path, call.line, held)


def _built_locals(body: tuple[ir.Stmt, ...], module: ir.Module, imports: Mapping[str, str],
                  classes: set[str]) -> dict[str, str]:
    """`const service = new UserService(db)`: local name -> the class it holds an instance of."""
    out: dict[str, str] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call):
            made = _class_name(stmt.value.func, module, imports, classes)
            for target in stmt.targets:
                if made and isinstance(target, ir.Name):
                    out[target.id] = made
    return out


def _held_class(arg: ir.Expr, built: Mapping[str, str], module: ir.Module, imports: Mapping[str, str],
                classes: set[str]) -> str:
    if isinstance(arg, ir.Call):
        return _class_name(arg.func, module, imports, classes)
    if isinstance(arg, ir.Name):
        # a local built here, or an imported instance or module (`module.exports = new Mailer()`)
        return built.get(arg.id) or imports.get(arg.id, "")
    return ""


def _class_name(func: ir.Expr, module: ir.Module, imports: Mapping[str, str], classes: set[str]) -> str:
    """The project-wide name of a constructor: capitalised by convention, or a module imported whole."""
    dotted = ir.dotted_name(func)
    if not dotted:
        return ""
    head, _, rest = dotted.partition(".")
    if dotted in classes:
        return f"{module.module_name}.{dotted}"
    if head in imports and dotted.rpartition(".")[2][:1].isupper():
        return imports[head] + (f".{rest}" if rest else "")
    return ""


def _factory(key: str, path: str, line: int, returns_class: str) -> FunctionSummary:
    return FunctionSummary(key, path, line, (), frozenset(), (), (), returns_class=returns_class)
