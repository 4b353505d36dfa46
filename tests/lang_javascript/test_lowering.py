"""JavaScript and TypeScript lowered to the IR: small sources in, exact IR facts out."""
from __future__ import annotations

import pytest

from servicelens import ir
from servicelens.lang.javascript import grammar_for, language_for, module_name_for, resolve_specifier
from tests.lang_javascript.lowering_helpers import assigns, calls, function, lower, show


@pytest.mark.parametrize(("rel", "grammar", "language"), [
    ("a.js", "javascript", "javascript"), ("a.mjs", "javascript", "javascript"), ("a.cjs", "javascript", "javascript"),
    ("a.jsx", "javascript", "javascript"), ("a.ts", "typescript", "typescript"), ("a.tsx", "tsx", "typescript"),
])
def test_grammar_is_chosen_by_extension(rel: str, grammar: str, language: str) -> None:
    assert grammar_for(rel) == grammar
    assert language_for(rel) == language
    assert lower("const a = 1;\n", rel).language == language


def test_module_names_follow_node_resolution() -> None:
    assert module_name_for("src/routes/users.js") == "src.routes.users"
    assert module_name_for("src/routes/index.ts") == "src.routes"
    assert module_name_for("src/users.controller.ts") == "src.users_controller"
    assert resolve_specifier("src/app.js", "./routes") == "src.routes"
    assert resolve_specifier("src/api/app.js", "../lib/db.js") == "src.lib.db"
    assert resolve_specifier("src/app.js", "express") == "express"


def test_imports_of_every_form() -> None:
    module = lower(
        "import express from 'express';\n"
        "import { a as b, c } from './x';\n"
        "import * as ns from 'ns';\n"
        "import def from './routes/users';\n"
        "const { exec, spawn: sp } = require('child_process');\n"
        "const r = require('./routes');\n"
        "const Router = require('express').Router;\n", "src/app.js")
    assert [(i.local, i.target) for i in module.imports] == [
        ("express", "express"), ("b", "src.x.a"), ("c", "src.x.c"), ("ns", "ns"),
        ("def", "src.routes.users.default"), ("exec", "child_process.exec"), ("sp", "child_process.spawn"),
        ("r", "src.routes"), ("Router", "express.Router")]
    assert module.body == ()  # imports bind names; no assignment is left behind


def test_require_inside_a_function_is_a_local_import() -> None:
    module = lower("function f() { const fs = require('fs'); return fs.readFileSync('x'); }\n")
    first = function(module, "f").body[0]
    assert isinstance(first, ir.ImportStmt)
    assert [(i.local, i.target) for i in first.imports] == [("fs", "fs")]


def test_typescript_import_require() -> None:
    module = lower("import x = require('y');\nimport type { Request } from 'express';\n", "a.ts")
    assert [(i.local, i.target) for i in module.imports] == [("x", "y"), ("Request", "express.Request")]


def test_anonymous_handler_is_a_function_referenced_at_the_call() -> None:
    module = lower("router.get('/u/:id', auth, async (req, res) => {\n  res.json({ id: req.params.id });\n});\n")
    call = module.body[0].value
    assert isinstance(call, ir.Call) and ir.dotted_name(call.func) == "router.get"
    assert show(call.args[0]) == "'/u/:id'"
    assert isinstance(call.args[1], ir.Name) and call.args[1].id == "auth"
    handler = call.args[2]
    assert isinstance(handler, ir.Name) and handler.id == "<anon@1>"
    defined = function(module, "<anon@1>")
    assert defined.is_async and [p.name for p in defined.params] == ["req", "res"]
    json_call = calls(defined.body)[0]
    assert ir.dotted_name(json_call.func) == "res.json"
    assert isinstance(json_call.args[0], ir.DictExpr)


def test_nested_callbacks_are_named_inside_their_parent() -> None:
    module = lower("function load(ids) {\n  return ids.map(async (id) => fetch(id));\n}\n")
    inner = function(module, "load.<locals>.<anon@2>")
    assert inner.parent == "load"
    assert isinstance(inner.body[-1], ir.Return) and isinstance(inner.body[-1].value, ir.Call)
    mapped = calls(function(module, "load").body)[0]
    assert show(mapped) == "ids.map(<anon@2>)"


def test_two_callbacks_on_one_line_get_distinct_names() -> None:
    module = lower("p.then(a => a, b => b);\n")
    assert sorted(f.qualname for f in module.functions) == ["<anon@1>", "<anon@1>:15"]


def test_function_forms_and_parameters() -> None:
    module = lower(
        "export function g(a, b = 1, ...rest) { return a + b; }\n"
        "const h = function named() {};\n"
        "const k = async ({ body }, res) => body;\n")
    g = function(module, "g")
    assert [(p.name, p.kind) for p in g.params] == [("a", "positional"), ("b", "positional"), ("rest", "vararg")]
    assert show(g.params[1].default) == "1"
    assert [s.qualname for s in module.body if isinstance(s, ir.Def)] == ["g", "h", "k"]
    k = function(module, "k")
    assert [p.name for p in k.params] == ["<param0>", "res"]
    assert show(assigns(k.body)["body"]) == "<param0>.body"


def test_destructuring_binds_each_name_to_the_attribute_of_the_source() -> None:
    module = lower("function f(req) {\n  const { id, name: n = 'x', ...rest } = req.params;\n  const [a, , c] = pair;\n}\n")
    bound = assigns(function(module, "f").body)
    assert {name: show(value) for name, value in bound.items()} == {
        "id": "req.params.id", "n": "(req.params.name or 'x')", "rest": "req.params", "a": "pair[0]", "c": "pair[2]"}


def test_template_strings_member_access_and_optional_chaining() -> None:
    module = lower("const q = `select * from t where id = ${id}`;\nconst v = a?.b?.[c];\nconst w = h['x-key'];\n"
                   "const plain = `no holes`;\n")
    bound = assigns(module.body)
    assert isinstance(bound["q"], ir.FormattedString)
    assert show(bound["q"]) == "f<'select * from t where id = ' + id>"
    assert show(bound["v"]) == "a.b[c]"
    assert show(bound["w"]) == "h['x-key']"
    assert show(bound["plain"]) == "'no holes'"


def test_options_object_and_new_are_calls_with_a_dict_argument() -> None:
    module = lower("const c = new Client({ timeout: 5000, retries });\nconst r = axios.get(url, { ...base });\n")
    client = assigns(module.body)["c"]
    assert isinstance(client, ir.Call) and ir.dotted_name(client.func) == "Client"
    assert isinstance(client.args[0], ir.DictExpr)
    assert show(client) == "Client({'timeout': 5000, 'retries': retries})"
    assert show(assigns(module.body)["r"]) == "axios.get(url, {**: base})"


def test_control_flow_statements() -> None:
    module = lower(
        "async function f(xs) {\n"
        "  for (const x of xs) { await save(x); }\n"
        "  for (let i = 0; i < 3; i++) { tick(i); }\n"
        "  while (busy) wait();\n"
        "  try { risky(); } catch (err) { next(err); } finally { done(); }\n"
        "  if (!ok) { return res.status(401).end(); } else { throw new Error('x'); }\n"
        "  switch (kind) { case 'a': one(); break; default: other(); }\n"
        "}\n")
    body = function(module, "f").body
    kinds = [type(s).__name__ for s in body]
    assert kinds == ["For", "Assign", "While", "While", "Try", "If", "If"]
    loop = body[0]
    assert isinstance(loop, ir.For) and loop.target == ir.Name(2, 13, "x")
    counted = body[2]
    assert isinstance(counted, ir.While) and isinstance(counted.body[-1], ir.Assign) and counted.body[-1].op == "+"
    handler = body[4].handlers[0]
    assert handler.name == "err" and body[4].finalbody
    branch = body[5]
    assert isinstance(branch.test, ir.Unary) and branch.test.op == "not"
    assert isinstance(branch.orelse[0], ir.Raise)
    assert isinstance(body[6].test, ir.Compare) and show(body[6].test.comparators[0]) == "'a'"
    assert {ir.dotted_name(c.func) for c in calls(body)} >= {"save", "tick", "wait", "risky", "next", "done", "one",
                                                             "other", "res.status", "Error"}


def test_operators_map_to_python_shapes() -> None:
    value = assigns(lower("const v = a === b && c || d ?? e;\n").body)["v"]
    assert isinstance(value, ir.BoolOp) and value.op == "or"
    first = value.values[0]
    assert isinstance(first, ir.BoolOp) and first.op == "and"
    assert isinstance(first.values[0], ir.Compare) and first.values[0].ops == ("==",)


def test_classes_methods_and_this() -> None:
    module = lower("class Repo extends Base {\n  limit = 10;\n  async find(id) { return this.db.query(id); }\n}\n")
    cls = module.classes[0]
    assert cls.qualname == "Repo" and cls.methods == ("Repo.find",)
    assert [ir.dotted_name(b) for b in cls.bases] == ["Base"]
    find = function(module, "Repo.find")
    assert find.class_name == "Repo" and find.is_async
    assert ir.dotted_name(calls(find.body)[0].func) == "self.db.query"
    assert show(assigns(cls.body)["limit"]) == "10"


def test_typescript_types_decorators_and_parameter_properties() -> None:
    module = lower(
        "interface I { a: string }\ntype T = number;\n"
        "@Controller('users')\n"
        "export class Users {\n"
        "  constructor(private readonly service: UserService) {}\n"
        "  @Get(':id')\n"
        "  async find(@Param('id') id: string): Promise<User> { return this.service.find(id as string)!; }\n"
        "}\n", "users.controller.ts")
    cls = module.classes[0]
    assert [ir.dotted_name(d.func) for d in cls.decorators if isinstance(d, ir.Call)] == ["Controller"]
    find = function(module, "Users.find")
    assert [ir.dotted_name(d.func) for d in find.decorators if isinstance(d, ir.Call)] == ["Get"]
    assert [(p.name, ir.dotted_name(p.annotation)) for p in find.params] == [("id", "string")]
    assert isinstance(find.returns, ir.Subscript) and ir.dotted_name(find.returns.value) == "Promise"
    ret = find.body[0]
    assert isinstance(ret, ir.Return) and show(ret.value) == "self.service.find(id)"
    constructor = function(module, "Users.constructor")
    assert assigns(constructor.body) == {} and isinstance(constructor.body[0], ir.Assign)
    assert ir.dotted_name(constructor.body[0].targets[0]) == "self.service"


def test_export_default_binds_default() -> None:
    module = lower("const router = makeRouter();\nexport default router;\n")
    assert show(assigns(module.body)["default"]) == "router"


def test_unknown_syntax_degrades_to_opaque_never_a_crash() -> None:
    module = lower("const el = <div>{name}</div>;\nfunction* gen() { yield x; }\nlabel: for (;;) { break label; }\n",
                   "view.jsx")
    assert isinstance(assigns(module.body)["el"], ir.Opaque)
    assert function(module, "gen").body


def test_instantiation_expressions_and_generic_tagged_templates_call_their_tag() -> None:
    module = lower("async function f(id: string) {\n"
                   "  const rows = await sql<Row[]>`select * from t where id = ${id}`;\n"
                   "  const make = box<string>;\n"
                   "  return rows;\n}\n", "src/db.ts")
    first, second = function(module, "f").body[:2]
    assert isinstance(first, ir.Assign) and isinstance(first.value, ir.Await)
    call = first.value.value
    assert isinstance(call, ir.Call) and ir.dotted_name(call.func) == "sql"
    assert isinstance(call.args[0], ir.FormattedString)
    assert isinstance(second, ir.Assign) and ir.dotted_name(second.value) == "box"
