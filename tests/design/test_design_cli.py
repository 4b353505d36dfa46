"""`servicelens design` through Typer's CliRunner on an app built with register()."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import typer
from typer.testing import CliRunner

from servicelens.cli import design_cmd

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "design-schema.json").read_text())


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    design_cmd.register(app)

    @app.command("noop")  # a second command keeps `design` a subcommand, as in the real CLI
    def noop() -> None:
        pass
    return app


def run(app, *args, cwd=None):
    return CliRunner().invoke(app, ["design", *args], catch_exceptions=False)


def test_markdown_default(app):
    r = run(app, "I need to build an API endpoint for user authentication that can handle high traffic")
    assert r.exit_code == 0
    for section in ("## Assumptions", "## Open questions", "## Capacity plan", "```mermaid", "## Decisions and trade-offs",
                    "## Risks and mitigations", "## API contract (OpenAPI 3.1)", "```sql", "## Code skeleton", "## Self-check"):
        assert section in r.output


@pytest.mark.parametrize("prompt", [
    "URL shortener, 100M new URLs per month, read:write 100:1, keep 5 years",
    "payments API, 2M payments/day, PCI, GDPR, p99 < 300 ms, 99.95%",
    "chat app with 10M daily active users",
])
def test_json_output_matches_published_schema(app, prompt):
    r = run(app, prompt, "--format", "json", "--stack", "go")
    assert r.exit_code == 0
    data = json.loads(r.output)
    jsonschema.validate(data, SCHEMA)
    assert data["stack"] == "go" and data["code"][0]["language"] == "go"
    names = {c["name"] for c in data["capacity"]}
    assert "write requests per second (peak)" in names


def test_json_is_deterministic(app):
    a = run(app, "payments API, 2M payments/day", "--format", "json").output
    b = run(app, "payments API, 2M payments/day", "--format", "json").output
    assert a == b


def test_html_is_self_contained_and_escaped(app):
    r = run(app, "orders API <script>alert(1)</script>, 100 orders per second", "--format", "html")
    assert r.exit_code == 0
    assert r.output.startswith("<!doctype html>") and "<script>alert" not in r.output
    assert "&lt;script&gt;" in r.output


def test_output_file(app, tmp_path):
    out = tmp_path / "design.md"
    r = run(app, "URL shortener, 100M new URLs per month", "--output", str(out))
    assert r.exit_code == 0 and out.read_text().startswith("# Design: URL shortener")


@pytest.mark.parametrize("text", ["", "   ", "asdf qwer zxcv", "make it fast and good"])
def test_meaningless_input_exits_2_with_questions(app, text):
    r = CliRunner().invoke(app, ["design", text])
    assert r.exit_code == 2
    assert "servicelens: error: design:" in r.output and "What does the system do" in r.output


def test_contradictory_numbers_are_pointed_out(app):
    r = run(app, "chat app, 1 million users, 5 million daily active users, p50 300 ms, p99 < 200 ms")
    assert r.exit_code == 0
    assert "## Contradictions in the requirement" in r.output
    assert "Daily active users exceed total users" in r.output
    assert "median latency target is above the p99" in r.output


def test_spec_file(app, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\ndomains: [payments]\ntraffic:\n  writes: 2M payments/day\n  peak_factor: 4\n"
                    "data:\n  retention: 7 years\ntargets:\n  availability: 99.95\ncompliance: [PCI-DSS]\n")
    r = run(app, str(spec), "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    caps = {c["name"]: c["value"] for c in data["capacity"]}
    assert caps["write requests per second (peak)"] == pytest.approx(2e6 / 86_400 * 4, rel=1e-3)


def test_malformed_spec_names_line_and_field(app, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\ndomains: [payments]\ntraffic:\n  writes: 2M payments/day\n  peek_factor: 4\n")
    r = CliRunner().invoke(app, ["design", str(spec)])
    assert r.exit_code == 2
    assert "line 5: traffic.peek_factor: unknown field (did you mean 'traffic.peak_factor'?)" in r.output


def test_invalid_yaml_names_line(app, tmp_path):
    spec = tmp_path / "bad.yml"
    spec.write_text("version: 1\ndomains: [payments\ntraffic:\n")
    r = CliRunner().invoke(app, ["design", str(spec)])
    assert r.exit_code == 2 and "line " in r.output and "not valid YAML" in r.output


def test_missing_spec_file(app):
    r = CliRunner().invoke(app, ["design", "nope.yaml"])
    assert r.exit_code == 2 and "not found" in r.output


def test_stack_defaults_to_repo_manifest(app, tmp_path, monkeypatch):
    (tmp_path / "go.mod").write_text("module x\n")
    monkeypatch.chdir(tmp_path)
    r = run(app, "URL shortener, 100M new URLs per month", "--format", "json")
    assert json.loads(r.output)["stack"] == "go"


def test_stack_defaults_to_fastapi_without_manifest(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run(app, "URL shortener, 100M new URLs per month", "--format", "json")
    assert json.loads(r.output)["stack"] == "fastapi"
