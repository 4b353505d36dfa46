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


def test_the_open_question_says_what_javascript_coverage_is() -> None:
    questions = [q.question for q in _report().open_questions if q.context == "language coverage"]
    assert any(q.startswith("3 JavaScript file(s) were read for their Express endpoints") for q in questions)
    assert not any("not available" in q for q in questions)
