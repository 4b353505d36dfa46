"""Script reach for JavaScript/TypeScript (analysis/javascript_entries.py): a module run as a
program or by a migration tool, that nothing in the project imports, is a script's code, and
so is what only it calls; a module the service imports or that serves requests is not."""
from __future__ import annotations

from pathlib import Path

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.analysis.javascript_programs import package_programs
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.analysis.reach import reach_index
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool
from servicelens.taint.resolve import call_graph

HELPER = """export async function backfill(db) {
  const rows = await db.query('SELECT id FROM users');
  return rows;
}
"""
BACKFILL_TS = """import { backfill } from './helper';
import { db } from './db';

export default async function main(exit = false) {
  await backfill(db);
  if (exit) process.exit(0);
}

if (process.env.NODE_ENV !== 'test') {
  void main(true);
}
"""
SEQUELIZE_MIGRATION_JS = """module.exports = {
  up: async (queryInterface, Sequelize) => {
    const [rows] = await queryInterface.sequelize.query('SELECT id FROM teams');
    for (const row of rows) { await queryInterface.bulkUpdate('teams', { a: 1 }, { id: row.id }); }
  },
  down: async (queryInterface) => {
    await queryInterface.removeColumn('teams', 'a');
  },
};
"""
KNEX_MIGRATION_TS = """import { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('t', (t) => t.string('a'));
}
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('t', (t) => t.dropColumn('a'));
}
"""
TYPEORM_MIGRATION_TS = """import { MigrationInterface, QueryRunner } from 'typeorm';
export class AddOwner1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE a ADD owner int');
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE a DROP owner');
  }
}
"""
KNEX_SEED_JS = """exports.seed = async function (knex) {
  await knex('users').del();
};
"""
BIN_JS = """#!/usr/bin/env node
const { backfill } = require('./helper');
async function run() { await backfill(require('./db')); }
run();
"""
MAIN_GUARD_JS = """async function run() { return 1; }
module.exports = { run };
if (require.main === module) { run().catch(console.error); }
"""
# a service's own module: it calls a local function at its top level, and the server imports it
SETUP_JS = """function init() { return 1; }
init();
module.exports = { init };
"""
SERVER_JS = """const express = require('express');
const { init } = require('./setup');
const app = express();
app.get('/x', (req, res) => res.send(init()));
app.listen(3000);
"""
# started with a call of its own `start()`, but it listens on a port: the server itself
LISTENING_JS = """const http = require('http');
function start() { http.createServer((req, res) => res.end(work())).listen(8080); }
function work() { return 'ok'; }
start();
"""
# an object with `up` and `down` that the service imports is not a migration
IMPORTED_PAIR_JS = """module.exports = { up: () => 1, down: () => 0 };
"""
USES_PAIR_JS = """const counter = require('./counter');
const express = require('express');
const app = express();
app.get('/up', (req, res) => res.json(counter.up()));
"""


def _reach(files: dict[str, str]):
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return reach_index(facts, call_graph([s for f in facts for s in f.summaries]))


def test_a_script_calling_its_own_main_is_a_script_and_so_is_what_only_it_calls() -> None:
    index = _reach({"scripts/backfill.ts": BACKFILL_TS, "scripts/helper.ts": HELPER})
    assert index.at("scripts/backfill.ts", 5).kind == "script"
    assert "calls its own `main()`" in index.at("scripts/backfill.ts", 5).evidence
    assert index.at("scripts/helper.ts", 2).kind == "script"


def test_migrations_by_their_tools_contracts_are_scripts() -> None:
    index = _reach({"db/20240101-add-a.js": SEQUELIZE_MIGRATION_JS, "db/knex_add.ts": KNEX_MIGRATION_TS,
                    "db/typeorm_add.ts": TYPEORM_MIGRATION_TS, "db/seed_users.js": KNEX_SEED_JS})
    assert index.at("db/20240101-add-a.js", 4).kind == "script"
    assert "exports `up` and `down`" in index.at("db/20240101-add-a.js", 4).evidence
    assert index.at("db/knex_add.ts", 3).kind == "script"
    assert index.at("db/typeorm_add.ts", 4).kind == "script"
    assert "class `AddOwner1700000000000`" in index.at("db/typeorm_add.ts", 4).evidence
    assert index.at("db/seed_users.js", 2).kind == "script"


def test_a_shebang_or_require_main_guard_makes_a_program() -> None:
    index = _reach({"bin/backfill.js": BIN_JS, "helper.js": HELPER.replace("export async function backfill",
                                                                             "exports.backfill = async function"),
                    "tools/run.js": MAIN_GUARD_JS})
    assert index.at("bin/backfill.js", 3).kind == "script"
    assert index.at("tools/run.js", 1).kind == "script"


def test_an_imported_module_or_a_listening_one_is_not_a_script() -> None:
    index = _reach({"setup.js": SETUP_JS, "server.js": SERVER_JS, "standalone_server.js": LISTENING_JS,
                    "counter.js": IMPORTED_PAIR_JS, "app.js": USES_PAIR_JS})
    assert index.at("setup.js", 1).kind != "script"
    assert index.at("standalone_server.js", 3).kind != "script"
    assert index.at("counter.js", 1).kind != "script"


PACKAGE_JSON = """{
  "name": "shop",
  "bin": {"shop-admin": "./bin/admin.js"},
  "scripts": {
    "start": "node src/server.js",
    "backfill": "NODE_ENV=production node -r dotenv/config scripts/backfill.js && echo done",
    "seed": "ts-node --transpile-only scripts/seed.ts"
  }
}
"""
SERVER = """const express = require('express');
const app = express();
const axios = require('axios');
app.get('/orders', async (req, res) => res.json((await axios.get('http://stock/orders')).data));
app.listen(3000);
"""
# exported, never calling itself: only the package.json says it is run
BACKFILL = """const axios = require('axios');
async function backfill() { return (await axios.get('http://stock/all')).data; }
module.exports = backfill;
"""
SEED = """import axios from 'axios';
export async function seed() { return (await axios.get('http://stock/seed')).data; }
"""
ADMIN = """const axios = require('axios');
exports.run = async () => (await axios.get('http://stock/admin')).data;
"""


def _file_reaches(tmp_path: Path) -> dict[str, set[str]]:
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.location.path, set()).add(finding.reach)
    return found


def test_modules_a_package_json_runs_are_scripts_unless_they_serve(tmp_path: Path) -> None:
    files = {"package.json": PACKAGE_JSON, "src/server.js": SERVER, "scripts/backfill.js": BACKFILL,
             "scripts/seed.ts": SEED, "bin/admin.js": ADMIN}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    reaches = _file_reaches(tmp_path)
    assert reaches["scripts/backfill.js"] == {"script"}
    assert reaches["scripts/seed.ts"] == {"script"}
    assert reaches["bin/admin.js"] == {"script"}
    assert reaches["src/server.js"] == {"request"}


def test_package_scripts_name_the_files_their_runtime_runs() -> None:
    programs = package_programs([("package.json", PACKAGE_JSON)],
                                frozenset({"src/server.js", "scripts/backfill.js", "scripts/seed.ts", "bin/admin.js"}))
    assert set(programs) == {"src/server.js", "scripts/backfill.js", "scripts/seed.ts", "bin/admin.js"}
    assert "`backfill`" in programs["scripts/backfill.js"]


# the service's entry module: it calls its own `main()`, which starts the server defined elsewhere
MAIN_TS = """import { startServer } from './server';
import { connect } from './db';

async function main() {
  await connect();
  await startServer();
}

void main();
"""
STARTS_SERVER_TS = """import express from 'express';
export async function startServer() {
  const app = express();
  app.get('/health', (req, res) => res.send('ok'));
  app.listen(3000);
}
"""
DB_TS = """export async function connect() { return 1; }
"""


def test_a_program_that_starts_the_server_is_not_a_script() -> None:
    index = _reach({"main.ts": MAIN_TS, "server.ts": STARTS_SERVER_TS, "db.ts": DB_TS})
    assert index.at("main.ts", 5).kind != "script"
    assert index.at("db.ts", 1).kind != "script"


WORKER_JS = """const { Worker } = require('bullmq');
const cron = require('node-cron');
const { sendDigest } = require('./digest');

function start() {
  new Worker('mail', async (job) => { await deliver(job.data); });
  cron.schedule('0 * * * *', sendDigest);
}
async function deliver(data) { return data; }
module.exports = { start };
"""
BULL_JS = """const Queue = require('bull');
const queue = new Queue('exports');
queue.process(4, async function exportRows(job) { return job.data; });
module.exports = queue;
"""
DIGEST_JS = """const mailer = require('./mailer');
exports.sendDigest = async function () { return mailer.send('digest'); };
"""
# `.process()` in a module that imports no job library is not a job hand-off
PIPELINE_JS = """const steps = require('./steps');
function run(items) { return steps.process(items, function each(item) { return item; }); }
module.exports = { run };
"""


def test_functions_handed_to_a_job_library_are_tasks() -> None:
    index = _reach({"jobs/worker.js": WORKER_JS, "jobs/digest.js": DIGEST_JS, "jobs/exports.js": BULL_JS,
                    "lib/pipeline.js": PIPELINE_JS})
    assert index.at("jobs/worker.js", 6).kind == "task"  # the Worker's handler
    assert index.at("jobs/worker.js", 9).kind == "task"  # what only the handler calls
    assert "bullmq.Worker" in index.at("jobs/worker.js", 6).evidence
    assert index.at("jobs/digest.js", 2).kind == "task"  # handed to cron.schedule from another module
    assert index.at("jobs/exports.js", 3).kind == "task"
    assert index.at("lib/pipeline.js", 2).kind == ""


# a router module that sets itself up in an async IIFE, and that nothing in this project imports
IIFE_ROUTER_TS = """import Router from 'koa-router';
const router = new Router();
void (async () => {
  router.use('/', await loadProviders());
})();
async function loadProviders() { return []; }
export default router;
"""


def test_an_immediately_invoked_setup_function_does_not_make_a_program() -> None:
    index = _reach({"routes/auth.ts": IIFE_ROUTER_TS})
    assert index.at("routes/auth.ts", 6).kind != "script"


# commands of command-line libraries: each action runs when an operator types the command
CAC_COMMANDS_TS = """import { CAC } from 'cac';
import child from 'child_process';
import { fetchTarball } from '../lib/tarballs';

export function register(cli: CAC) {
  cli.command('install [package]').action(async (src) => {
    await fetchTarball(child.execSync(`yarn info ${src} dist.tarball`).toString());
  });
}
"""
TARBALLS_TS = """export async function fetchTarball(url: string) {
  return url;
}
"""
YARGS_COMMANDS_JS = """const yargs = require('yargs');
function reindex(argv) { return argv.index; }
yargs.command('reindex <index>', 'rebuild one index', (y) => y, reindex).parse();
"""
# a service module whose helper is called `action`: no command-line library, no command
ACTIONS_JS = """const express = require('express');
const app = express();
const flows = { action(fn) { return fn(); } };
app.post('/run', (req, res) => res.json(flows.action(async () => req.body)));
app.listen(3000);
"""


def test_functions_handed_to_a_command_line_library_are_commands() -> None:
    index = _reach({"commands/install.ts": CAC_COMMANDS_TS, "lib/tarballs.ts": TARBALLS_TS,
                    "cli/reindex.js": YARGS_COMMANDS_JS, "server.js": ACTIONS_JS})
    assert index.at("commands/install.ts", 7).kind == "command"
    assert "cac" in index.at("commands/install.ts", 7).evidence
    assert index.at("lib/tarballs.ts", 2).kind == "command"  # what only the command calls
    assert index.at("cli/reindex.js", 2).kind == "command"
    assert index.at("server.js", 4).kind == "request"


# cron's CronJob runs its second argument on each tick; the third runs once, when the job stops
CRON_TICK_TS = """import { CronJob } from 'cron';
import { pool } from './db';

async function onTick() {
  for (const id of await pool.ids()) { await pool.touch(id); }
}

export function startJob() {
  new CronJob('0 11 * * *', () => void onTick(), () => log('done'), true).start();
}
function log(message: string) { return message; }
"""
CRON_FROM_JS = """const { CronJob } = require('cron');
const { QUEUE } = require('./names');
async function sweep() { return load(); }
function stopped() { return load(); }
function load() { return 1; }
module.exports = () => CronJob.from({ cronTime: '* * * * *', onTick: sweep, onComplete: stopped });

"""
# the queue's name is an imported constant: it is not the job
NAMED_WORKER_JS = """const { Worker } = require('bullmq');
const { QUEUE, report } = require('./names');
module.exports = () => new Worker(QUEUE, report, { connection: {} });
"""
NAMES_JS = """exports.QUEUE = 'reports';
exports.report = async function (job) { return job.data; };
"""
# a function a cron tick calls that a route also calls is request code
SHARED_TS = """import { CronJob } from 'cron';
import express from 'express';
const app = express();
async function refresh() { return load(); }
async function tick() { await refresh(); }
app.get('/refresh', async (req, res) => res.json(await refresh()));
new CronJob('* * * * *', tick).start();
app.listen(3000);
function load() { return tick.name; }
"""


def test_only_the_argument_a_job_library_runs_per_tick_is_a_task() -> None:
    index = _reach({"jobs/recurring.ts": CRON_TICK_TS, "jobs/sweep.js": CRON_FROM_JS, "jobs/worker.js": NAMED_WORKER_JS,
                    "jobs/names.js": NAMES_JS})
    assert index.at("jobs/recurring.ts", 5).kind == "task"  # what the tick's arrow function calls
    assert "cron.CronJob" in index.at("jobs/recurring.ts", 5).evidence
    assert index.at("jobs/recurring.ts", 11).kind == ""  # only the completion callback calls it
    assert index.at("jobs/sweep.js", 3).kind == "task"  # `onTick` of the options object
    assert index.at("jobs/sweep.js", 4).kind == ""  # `onComplete` is not the job
    assert index.at("jobs/names.js", 2).kind == "task"  # the Worker's processor, not its queue's name


def test_a_function_a_job_and_a_route_both_call_is_request_code() -> None:
    index = _reach({"server.ts": SHARED_TS})
    assert index.at("server.ts", 5).kind == "task"
    assert index.at("server.ts", 4).kind == "request"
