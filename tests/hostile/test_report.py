"""Hostile report content: long lines must not amplify the report, repository names must
stay inert text in every format, and a failing analysis step must still end in a report."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from servicelens.analysis.excerpt import LINE_WIDTH, excerpt_line
from servicelens.cli.main import main
from servicelens.model import Diagnostic, Finding, Location, Report, TraceStep
from servicelens.model.finding import Category, Confidence, Severity
from servicelens.model.report import Overview, RunStats
from servicelens.render import render
from servicelens.render.safe_text import md_code, md_inline, md_text, mermaid_label
from tests.hostile.conftest import VULNERABLE_PY

FORMATS = ("markdown", "json", "sarif", "html")
INJECTED_NAME = "x\n## Heading [x](javascript:alert(1))\n.py"


def one_line_contract(paths: int, padding: int = 0) -> str:
    """An OpenAPI contract as one JSON line: every operation returns an unpaged array."""
    operations = {f"/items{i}/{{id}}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}}}}}
        for i in range(paths)}
    doc = {"openapi": "3.0.0", "info": {"title": "t", "version": "1", "description": "p" * padding},
           "paths": operations}
    return json.dumps(doc)


def review(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> tuple[int, str]:
    out = tmp_path.parent / f"{tmp_path.name}-report.{fmt}"
    # every finding: what these tests measure is the report's size, not the default profile's
    # gate, which moves with the measured precision of each rule
    code = main(["review", str(tmp_path), "--format", fmt, "--no-cache", "--quiet", "--profile", "extended",
                 "--output", str(out)])
    capsys.readouterr()
    return code, out.read_text("utf-8")


# --- amplification -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_report_grows_with_findings_not_with_line_length(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         fmt: str) -> None:
    short_dir, long_dir = tmp_path / "short", tmp_path / "long"
    short_dir.mkdir()
    long_dir.mkdir()
    (short_dir / "openapi.json").write_text(one_line_contract(150))
    (long_dir / "openapi.json").write_text(one_line_contract(150, padding=300_000))
    assert len((long_dir / "openapi.json").read_text()) > 300_000
    started = time.monotonic()
    _, short = review(short_dir, capsys, fmt)
    _, long = review(long_dir, capsys, fmt)
    assert time.monotonic() - started < 30
    findings = json.loads(review(long_dir, capsys, "json")[1])["findings"]
    assert len(findings) >= 150
    assert len(long) < len(short) * 1.1 + 10_000  # the 300 KB of padding is not copied anywhere
    assert len(long) < 6_000 * len(findings)  # a few KB per finding, whatever the line length


def test_snippets_keep_the_cited_place_visible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pad = "x = " + repr("a" * 100_000) + "; "
    (tmp_path / "app.py").write_text(VULNERABLE_PY.replace('    os.system(request.args["cmd"])',
                                                           f'    {pad}os.system(request.args["cmd"]); {pad}'))
    _, text = review(tmp_path, capsys, "json")
    [finding] = [f for f in json.loads(text)["findings"] if f["concern"] == "command-injection"]
    assert "os.system(request.args" in finding["snippet"]
    assert finding["snippet"].startswith("…") and finding["snippet"].endswith("…")
    assert len(finding["snippet"]) <= LINE_WIDTH + 2
    assert all(len(step["code"]) <= LINE_WIDTH + 2 for step in finding["evidence"])


def test_excerpt_keeps_the_column_and_marks_each_cut() -> None:
    line = "a" * 1000 + "TARGET" + "b" * 1000
    cut = excerpt_line(line, 1000)
    assert "TARGET" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut) == LINE_WIDTH + 2
    assert excerpt_line(line, 0).startswith("a") and excerpt_line(line, 0).endswith("…")
    assert excerpt_line(line, len(line) - 1).endswith("b") and excerpt_line(line, len(line)).startswith("…")
    assert excerpt_line("short", 3) == "short"


# --- injection through names -----------------------------------------------------------

@pytest.fixture()
def injected_tree(tmp_path: Path) -> Path:
    (tmp_path / INJECTED_NAME).write_text(VULNERABLE_PY)
    service = tmp_path / 'svc"] --> pwn[<b>x'
    service.mkdir()
    (service / "requirements.txt").write_text("flask\n")
    (service / "app.py").write_text(VULNERABLE_PY)
    return tmp_path


def test_markdown_shows_a_hostile_file_name_as_inert_text(injected_tree: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, text = review(injected_tree, capsys, "markdown")
    assert code == 0
    assert "Heading" in text  # the name is shown ...
    assert not [ln for ln in text.splitlines() if ln.lstrip().startswith("#") and "Heading" in ln]
    outside_code = re.sub(r"(`+).*?\1", "", text)
    assert "](javascript:" not in outside_code and "<b>" not in outside_code
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if "Heading" in h and "javascript" not in h]
    links = [t for block in tokens for t in (block.children or []) if t.type == "link_open"]
    assert not links
    html = markdown_it.MarkdownIt("commonmark").render(text)
    assert "<a " not in html and "<b>" not in html
    assert "javascript:" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S)


def test_mermaid_labels_cannot_break_the_diagram(injected_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, text = review(injected_tree, capsys, "markdown")
    diagram = text.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    node = re.compile(r'^  (client\(\[Client\]\)|svc\d+\["[^"\[\]\n]*"\]|svc\d+ --> .*|client -->\|\d+ endpoints\| svc\d+|'
                      r'svc\d+ -\.->\|[a-z0-9]+\| svc\d+ext\d+\(\("external HTTP"\)\))$')
    lines = diagram.splitlines()
    assert lines[0] == "flowchart LR"
    assert all(node.match(line) for line in lines[1:]), lines
    labels = "".join(re.findall(r'\["([^"]*)"\]', diagram)).replace("<br/>", "")
    assert "pwn" in labels and "-->" not in labels and "<" not in labels


def test_html_json_and_sarif_keep_names_as_data(injected_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, html = review(injected_tree, capsys, "html")
    assert "<b>x" not in html and "&lt;b&gt;x" in html
    assert 'href="javascript' not in html and "<h2>Heading" not in html
    _, text = review(injected_tree, capsys, "json")
    paths = {f["location"]["path"] for f in json.loads(text)["findings"]}
    assert INJECTED_NAME in paths  # plain data, exactly as on disk
    _, sarif = review(injected_tree, capsys, "sarif")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for run in json.loads(sarif)["runs"] for result in run["results"] for loc in result["locations"]}
    assert any("javascript" in uri and "\n" not in uri for uri in uris)


def _report_naming(path: str) -> Report:
    location = Location(path, 3)
    finding = Finding("command-injection", Category.SECURITY, (78,), Severity.HIGH, Confidence.HIGH, location,
                      f"Title naming `{path}`", "why", (TraceStep(location, f"step at {path}", f"code {path}"),),
                      snippet=f"snippet {path}", fingerprint="f")
    overview = Overview((), (), "", (("critical", 0), ("high", 1), ("medium", 0), ("low", 0)))
    return Report("root", "0", overview, (finding,), (), (), (Diagnostic(path, "parse-error", f"bad {path}"),),
                  RunStats(1, 3))


@pytest.mark.parametrize("fmt", FORMATS)
def test_lone_surrogates_and_controls_never_reach_the_output(fmt: str) -> None:
    text = render(_report_naming("bad\udcff\x1b[2Jname\u202e.py"), fmt)
    text.encode("utf-8")  # would raise on a lone surrogate
    assert "\x1b" not in text
    if fmt in ("json", "sarif"):
        json.loads(text)
        assert "\\\\udcff" in text  # the escape is text, not a JSON \u escape of a surrogate
    else:
        assert "\u202e" not in text  # no bidi override can reorder what a reader sees


def test_safe_text_helpers() -> None:
    assert md_text("# a [b](c) <d> *e* `f`") == "\\# a \\[b\\](c) \\<d\\> \\*e\\* \\`f\\`"
    assert md_text("snake_case _x_") == "snake_case \\_x\\_"
    assert md_text("line\nbreak\r") == "line\\\\nbreak\\\\r"
    assert md_text("- item", leading=True) == "\\- item"
    assert md_code("a``b") == "```a``b```"
    assert md_inline("Query `a|b` is *bad*", table=True) == "Query `a\\|b` is \\*bad\\*"
    assert mermaid_label('x"]\n--> y') == "x#34;#93;#92;n--#62; y"


# --- containment -----------------------------------------------------------------------

def test_a_crashing_contract_check_is_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import servicelens.contracts.analysis as contracts

    def explode(ctx: object) -> list[Finding]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(contracts, "CHECKS", (explode,))
    (tmp_path / "openapi.json").write_text(one_line_contract(2))
    (tmp_path / "app.py").write_text(VULNERABLE_PY)
    code, text = review(tmp_path, capsys, "json")
    report = json.loads(text)
    assert code == 0
    [diagnostic] = [d for d in report["diagnostics"] if d["kind"] == "analysis-error"]
    assert diagnostic["path"] == "openapi.json" and "RecursionError" in diagnostic["message"]
    assert "not reviewed" in diagnostic["message"]
    assert "command-injection" in {f["concern"] for f in report["findings"]}


@pytest.mark.parametrize("target", ["build_overview", "finalize_findings", "open_questions", "roll_up_risks"])
def test_a_crashing_report_part_still_gives_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    import servicelens.analysis.project as project

    def explode(*args: object, **kwargs: object) -> object:
        raise ValueError("unexpected shape")

    monkeypatch.setattr(project, target, explode)
    (tmp_path / "app.py").write_text(VULNERABLE_PY)
    for fmt in FORMATS:
        code, text = review(tmp_path, capsys, fmt)
        assert code == 0 and "ValueError" in text
    report = json.loads(review(tmp_path, capsys, "json")[1])
    assert "command-injection" in {f["concern"] for f in report["findings"]}
    assert any(d["kind"] == "analysis-error" and "ValueError: unexpected shape" in d["message"]
               for d in report["diagnostics"])


def test_a_crashing_cross_file_rule_leaves_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import servicelens.analysis.project as project

    monkeypatch.setattr(project, "missing_authentication", lambda *a: [][1])
    (tmp_path / "app.py").write_text(VULNERABLE_PY)
    report = json.loads(review(tmp_path, capsys, "json")[1])
    assert "command-injection" in {f["concern"] for f in report["findings"]}
    assert any("IndexError" in d["message"] for d in report["diagnostics"])
