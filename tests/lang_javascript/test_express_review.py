"""`servicelens review` on a small Express app (JS and TS files): the endpoint inventory
lists its routes with their mounted paths and auth, in Markdown and JSON."""
from __future__ import annotations

import json
from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.render import render

APP = Path(__file__).parent / "apps" / "express_shop"


def _report():
    return review(APP, Settings(use_cache=False))


def test_inventory_has_mounted_paths_and_auth_across_files() -> None:
    report = _report()
    found = {(e.method, e.path): (e.handler, e.auth) for s in report.overview.services for e in s.endpoints}
    assert found == {
        ("GET", "/health"): ("src.app.<anon@11>", "public"),
        ("POST", "/stripe-webhook"): ("src.app.<anon@15>", "public"),
        ("POST", "/notes"): ("src.app.<anon@20>", "none"),
        ("GET", "/users"): ("src.routes.users.listUsers", "none"),
        ("GET", "/users/:id"): ("src.routes.users.<anon@26>", "required"),
        ("GET", "/users/:id/avatar"): ("src.routes.users.getAvatar", "none"),
        ("PUT", "/users/:id/avatar"): ("src.routes.users.putAvatar", "required"),
        ("DELETE", "/admin/users/:id"): ("src.routes.admin.<anon@5>", "required"),
    }
    assert report.overview.services[0].frameworks == ("Express",)


def test_an_imported_guard_mounted_in_another_file_protects_the_typescript_router() -> None:
    report = _report()
    admin = next(e for s in report.overview.services for e in s.endpoints if e.path == "/admin/users/:id")
    assert admin.location.path == "src/routes/admin.ts"
    assert admin.auth_evidence == "`authenticate` reads req.headers.authorization and answers 401"


def test_unauthenticated_write_endpoint_is_reported_and_the_webhook_is_not() -> None:
    report = review(APP, Settings(use_cache=False, profile="extended"))
    missing = [f for f in report.findings if f.concern == "missing-authentication"]
    assert [(f.location.path, f.location.start_line) for f in missing] == [("src/app.js", 20)]


def test_markdown_and_json_list_the_express_endpoints() -> None:
    report = _report()
    markdown = render(report, "markdown")
    assert "| POST | `/notes` | `src.app.<anon@20>` | **none** |" in markdown
    assert "`/admin/users/:id`" in markdown
    data = json.loads(render(report, "json"))
    paths = {(e["method"], e["path"]) for s in data["overview"]["services"] for e in s["endpoints"]}
    assert ("DELETE", "/admin/users/:id") in paths and ("PUT", "/users/:id/avatar") in paths


def test_a_file_that_does_not_parse_gets_a_syntax_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "server.ts").write_text("const app = express(;\napp.get('/x', (req, res) => res.end());\n")
    report = review(tmp_path, Settings(use_cache=False))
    assert [(d.path, d.kind) for d in report.diagnostics if d.kind == "parse-error"] == [("server.ts", "parse-error")]


def test_javascript_with_endpoints_raises_no_coverage_question() -> None:
    questions = [q.question for q in _report().open_questions if q.context in ("language coverage", "framework coverage")]
    assert questions == []


def test_javascript_without_any_endpoint_asks_which_framework_serves_it(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "route.ts").write_text(
        "export async function GET(req: Request) {\n  return new Response('ok');\n}\n")
    report = review(tmp_path, Settings(use_cache=False))
    questions = [q.question for q in report.open_questions if q.context == "framework coverage"]
    assert len(questions) == 1 and questions[0].startswith("No HTTP endpoint was found in the TypeScript code of this service")


def test_front_end_scripts_of_a_python_service_raise_no_framework_question(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.js").write_text("document.querySelector('#x').addEventListener('click', () => 1);\n")
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n@app.get('/x')\ndef x():\n    return 'x'\n")
    report = review(tmp_path, Settings(use_cache=False))
    assert [q for q in report.open_questions if q.context == "framework coverage"] == []


def test_an_unmodelled_node_framework_is_named(tmp_path: Path) -> None:
    (tmp_path / "server.js").write_text(
        "const Hapi = require('@hapi/hapi');\nconst server = Hapi.server({ port: 3000 });\n"
        "server.route({ method: 'GET', path: '/x', handler: () => 'x' });\n")
    report = review(tmp_path, Settings(use_cache=False))
    questions = [q.question for q in report.open_questions if q.context == "framework coverage"]
    assert questions == ["hapi routes are not modelled: its endpoints were not inventoried or reviewed for auth, and "
                         "its request data is not treated as untrusted."]
