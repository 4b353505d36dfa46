"""Reach across modules for JavaScript: a route whose handler is defined in another module
reaches it (and what it calls) through the call graph, whatever the handler's shape."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.analysis.reach import reach_index
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool
from servicelens.taint.resolve import call_graph, resolve_flows

ROUTES = """const express = require('express');
const Handler = require('./handler');
const users = require('./users');
const app = express();
const handler = new Handler(db);
app.post('/run', handler.run);
app.get('/users/:id', users.show);
app.listen(3000);
"""
HANDLER = """const { exec } = require('child_process');
function Handler(db) {
  this.run = function (req, res) {
    helper(req.body.cmd);
    res.send('ok');
  };
}
function helper(cmd) { exec(cmd); }
function unused(cmd) { exec(cmd); }
module.exports = Handler;
"""
USERS = """exports.show = async (request, reply) => {
  const id = request.params.id;
  return lookup(id);
};
function lookup(id) { return id; }
"""


def _project(files: dict[str, str]):
    pool = ParserPool()
    return with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])


def _reach(files: dict[str, str]):
    facts = _project(files)
    summaries = [s for f in facts for s in f.summaries]
    return reach_index(facts, call_graph(summaries)), facts


def test_a_method_of_an_object_built_from_another_module_is_reached_from_its_route() -> None:
    index, _ = _reach({"routes.js": ROUTES, "handler.js": HANDLER, "users.js": USERS})
    assert index.at("handler.js", 4).kind == "request"  # inside Handler.run
    assert index.at("handler.js", 8).kind == "request"  # helper, called only from the handler


def test_a_function_no_route_reaches_stays_unknown() -> None:
    index, _ = _reach({"routes.js": ROUTES, "handler.js": HANDLER, "users.js": USERS})
    assert index.at("handler.js", 9).kind == ""


def test_an_exported_function_registered_by_name_is_reached() -> None:
    index, _ = _reach({"routes.js": ROUTES, "handler.js": HANDLER, "users.js": USERS})
    assert index.at("users.js", 2).kind == "request"
    assert index.at("users.js", 5).kind == "request"


def test_request_input_flows_into_a_handler_defined_elsewhere() -> None:
    facts = _project({"routes.js": ROUTES, "handler.js": HANDLER})
    flows = resolve_flows(s for f in facts for s in f.summaries)
    assert any(flow.sink.kind == "command-injection" and flow.sink_path == "handler.js" and flow.sink.line == 8
               for flow in flows)


def test_a_default_exported_function_is_called_by_the_module_name() -> None:
    caller = "const run = require('./runner');\nmodule.exports = (req, res) => run(req.query.cmd);\n"
    runner = "const cp = require('child_process');\nfunction run(cmd) { cp.exec(cmd); }\nmodule.exports = run;\n"
    facts = _project({"caller.js": caller, "runner.js": runner})
    flows = resolve_flows(s for f in facts for s in f.summaries)
    assert any(flow.sink.kind == "command-injection" and flow.sink_path == "runner.js" for flow in flows)


def test_a_callback_defined_in_a_handler_reaches_what_it_calls() -> None:
    routes = ("const express = require('express');\nconst { withClient } = require('./db');\n"
              "const { label } = require('./carrier');\nconst app = express();\n"
              "app.post('/label', (req, res) => withClient(async (client) => res.json(await label(req.body.id))));\n"
              "app.listen(3000);\n")
    carrier = "exports.label = async function label(id) {\n  return fetch('https://carrier.example/' + id);\n};\n"
    index, _ = _reach({"routes.js": routes, "carrier.js": carrier})
    assert index.at("carrier.js", 2).kind == "request"


def test_wrapped_handlers_class_field_methods_and_router_factories_are_reached() -> None:
    """`app.use('/x', xRoutes())` mounts what the factory returns; `wrap(ctrl.list)`,
    `ctrl.show.bind(ctrl)` and `catchAsync(async (req, res) => ...)` run their argument; a class
    field holding an arrow function is a method of the class."""
    app = ("import express from 'express';\nimport { itemRoutes } from './routes.js';\n"
           "const app = express();\napp.use('/items', itemRoutes());\napp.listen(3000);\n")
    routes = ("import { Router } from 'express';\nimport { ItemController } from './controller.js';\n"
              "import { wrap } from './wrap.js';\nconst items = new ItemController();\n"
              "export function itemRoutes(): Router {\n  const r = Router();\n"
              "  r.get('/', wrap(items.list));\n  r.get('/:id', items.show.bind(items));\n"
              "  r.post('/', wrap(async (req, res) => res.json(await items.create(req.body))));\n  return r;\n}\n")
    controller = ("export class ItemController {\n  list = async (req, res) => {\n    res.json([]);\n  };\n"
                  "  async show(req, res) {\n    res.json({});\n  }\n  async create(body) {\n    return body;\n  }\n}\n")
    wrap = "export const wrap = (fn) => (req, res, next) => { fn(req, res).catch(next); };\n"
    index, facts = _reach({"app.ts": app, "routes.ts": routes, "controller.ts": controller, "wrap.ts": wrap})
    paths = sorted((r.methods[0], r.path) for f in facts for r in f.routes)
    assert paths == [("GET", "/items"), ("GET", "/items/:id"), ("POST", "/items")]
    assert index.at("controller.ts", 3).kind == "request"  # list, an arrow-function field
    assert index.at("controller.ts", 6).kind == "request"  # show, bound
    assert index.at("controller.ts", 9).kind == "request"  # create, called from a wrapped arrow


def test_await_on_a_generic_call_awaits_the_call() -> None:
    """`await db.query<Row>(sql)`: the TypeScript grammar hangs the `await` on the callee."""
    from servicelens import ir
    from tests.lang_javascript.lowering_helpers import lower
    module = lower("async function f(db) {\n  const r = await db.query<Row>('SELECT 1');\n  return r;\n}\n", "db.ts")
    value = module.functions[0].body[0].value
    assert isinstance(value, ir.Await) and isinstance(value.value, ir.Call)
    assert ir.dotted_name(value.value.func) == "db.query"


# handler factories: the route runs the function a call returns (`app.post('/login', login())`)
FACTORY_SERVER = """import express from 'express';
import { searchItems } from './routes/search';
import * as orders from './routes/orders';
const app = express();
app.get('/api/search', searchItems());
app.post('/api/orders/:id/cancel', orders.cancelOrder(db, { notify: true }));
app.use(express.static('public'));
app.listen(3000);
"""
FACTORY_SEARCH = """export function searchItems () {
  return (req, res, next) => {
    run(req.query.q).then((rows) => res.json(rows)).catch(next);
  };
}
function run (q) { return db.query(q); }
"""
FACTORY_ORDERS = """const { cancel } = require('../services/orders');
module.exports.cancelOrder = function cancelOrder (db, options) {
  return async function (req, res) {
    await cancel(db, req.params.id, options);
    res.sendStatus(204);
  };
};
"""
FACTORY_SERVICE = """async function cancel (db, id) {
  await db.query('UPDATE orders SET state = $1 WHERE id = $2', ['cancelled', id]);
}
function unusedFactory () { return (req, res) => res.end(); }
module.exports = { cancel, unusedFactory };
"""


def test_a_route_built_by_a_handler_factory_reaches_the_function_the_factory_returns() -> None:
    files = {"server.ts": FACTORY_SERVER, "routes/search.ts": FACTORY_SEARCH, "routes/orders.js": FACTORY_ORDERS,
             "services/orders.js": FACTORY_SERVICE}
    index, facts = _reach(files)
    assert index.at("routes/search.ts", 3).kind == "request"  # the returned arrow
    assert index.at("routes/search.ts", 6).kind == "request"  # what it calls
    assert index.at("routes/orders.js", 4).kind == "request"  # a factory taking options, CommonJS
    assert index.at("services/orders.js", 2).kind == "request"  # the service the returned handler calls
    assert index.at("services/orders.js", 4).kind == ""  # a factory no route uses
    routes = {r.path: r.qualname for f in facts for r in f.routes}
    assert routes["/api/search"] == "searchItems" or routes["/api/search"].endswith("searchItems")
