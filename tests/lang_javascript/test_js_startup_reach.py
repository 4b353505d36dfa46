"""Start-up reach for JavaScript/TypeScript (analysis/javascript_startup.py): what a module's top
level and the function that starts the server call runs once, at start-up; the callbacks they set
up (route handlers, event handlers, timers) do not, and a function a route also calls is request code."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.analysis.reach import reach_index
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool
from servicelens.taint.resolve import call_graph

SERVER_JS = """const express = require('express');
const db = require('./db');

class Server {
  async start() {
    await db.migrate();
    await this.loadSettings();
    const app = express();
    app.get('/settings', async (req, res) => res.json(await db.settings()));
    app.use((req, res, next) => { db.touch(req.path); next(); });
    setInterval(() => db.poll(), 60000);
    app.listen(3000);
  }
  async loadSettings() { return db.settings(); }
}
module.exports = new Server();
"""
DB_JS = """const pool = require('./pool');
async function migrate() { for (const m of await pool.pending()) { await pool.run(m); } }
async function settings() { return pool.all('settings'); }
async function touch(path) { return pool.run(path); }
async function poll() { return pool.run('poll'); }
module.exports = { migrate, settings, touch, poll };
"""
# a module-level call (an immediately invoked set-up function, a seeding call) runs at start-up
INDEX_TS = """import { seed } from './seed';
import { report } from './report';

(async () => {
  await seed();
})();
export function handler() { return report(); }
"""
SEED_TS = """import { pool } from './pool';
export async function seed() {
  for (const row of await pool.rows()) { await pool.insert(row); }
}
"""
REPORT_TS = """import { pool } from './pool';
export async function report() { return pool.rows(); }
"""
# an unrelated class with a method of the same name as the start-up one is not linked
OTHER_JS = """class Cache {
  async loadSettings() { return require('./pool').all('cache'); }
}
module.exports = Cache;
"""


def _reach(files: dict[str, str]):
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return reach_index(facts, call_graph([s for f in facts for s in f.summaries]))


def test_what_the_server_start_calls_runs_at_start_up() -> None:
    index = _reach({"Server.js": SERVER_JS, "db.js": DB_JS, "cache.js": OTHER_JS})
    assert index.at("db.js", 2).kind == "startup"  # migrate: called by the function that listens
    assert "starts the server" in index.at("db.js", 2).evidence
    assert index.at("Server.js", 14).kind == "startup"  # a method the start-up function calls
    assert index.at("db.js", 3).kind == "request"  # settings: a route also calls it
    assert index.at("db.js", 4).kind == "request"  # a middleware set up there runs in requests
    assert index.at("db.js", 5).kind == ""  # a timer set up there is not start-up code
    assert index.at("cache.js", 2).kind == ""  # a same-named method of an unrelated class


def test_what_module_level_code_calls_runs_at_start_up() -> None:
    index = _reach({"index.ts": INDEX_TS, "seed.ts": SEED_TS, "report.ts": REPORT_TS})
    assert index.at("seed.ts", 3).kind == "startup"  # called from an IIFE at the top level
    assert index.at("report.ts", 2).kind == ""  # called from an exported function nothing calls


# routes declared in a set-up function the server's start calls: a finding about the route
# (its declaration line) is on the route's request path, not start-up code
ROUTES_JS = """const express = require('express');
const { reset } = require('./handlers');
function routes(app) {
  app.post('/reset', reset);
  return app;
}
function start() {
  const app = routes(express());
  app.listen(3000);
}
start();
"""
HANDLERS_JS = """exports.reset = async (req, res) => res.json(await req.db.all());
"""


def test_a_route_declared_at_start_up_is_on_its_request_path() -> None:
    index = _reach({"app.js": ROUTES_JS, "handlers.js": HANDLERS_JS})
    assert index.at("app.js", 5).kind == "startup"  # the set-up function itself
    assert index.at("app.js", 4).kind == "request"  # the route's declaration line
