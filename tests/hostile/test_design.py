"""Design mode under hostile input: it must answer quickly, refuse bad figures with a
one-line message (exit 2), warn about absurd scale, and never emit unsafe or broken code.

Everything goes through the real CLI entry point, `servicelens.cli.main.main`.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from servicelens.cli.main import main
from servicelens.design.identifiers import RESERVED, comment_safe, entity_names, snake_identifier
from servicelens.design.syntax_check import check_code, check_ddl
from servicelens.design.text_guard import MAX_REQUIREMENT_CHARS
from servicelens.model.design import GeneratedFile

SAFE_NAME = re.compile(r"[a-z][a-z0-9_]*")
REALISTIC = ("We need an API to manage invoices for merchants: 2M invoices per day, p99 under 200 ms, "
             "99.95% availability, reads outnumber writes 5x; keep records for 7 years, each 2 KB. ")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["design", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code: int, err: str, *expected: str) -> None:
    """Exit 2 and exactly one line `servicelens: error: ...` naming what is wrong."""
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("servicelens: error: "), err
    assert "Traceback" not in err
    for text in expected:
        assert text in lines[0], lines[0]


def write_spec(tmp_path, body: str) -> str:
    path = tmp_path / "spec.yaml"
    path.write_text("version: 1\ndomains: [crud]\n" + body + "\n", encoding="utf-8")
    return str(path)


# 1. Bounded, linear text processing ---------------------------------------------------

def test_text_over_the_limit_is_a_usage_error_suggesting_a_spec(capsys):
    started = time.monotonic()
    code, _, err = run(capsys, "manage invoices " * 70_000)  # ~1.1 MB
    assert_usage_error(code, err, f"{MAX_REQUIREMENT_CHARS:,}", "YAML spec")
    assert time.monotonic() - started < 20


def _at_limit(unit: str) -> str:
    head = "An API to manage invoices. "
    return head + (unit * (MAX_REQUIREMENT_CHARS // len(unit) + 1))[: MAX_REQUIREMENT_CHARS - len(head)]


@pytest.mark.parametrize("unit", [
    REALISTIC,
    "123456789012345678901234567890 ",  # digit runs as long as allowed
    " ",
    "a ",
    ".,;:!?-()",
    "ten million ",
    "5% of users post 3 photos per day, ",
    "p99 5 ms 10 x 5 per day and ",
], ids=["realistic", "digits", "spaces", "a-a-a", "punctuation", "number-words", "percent-rates", "mixed"])
def test_text_at_the_limit_finishes_quickly(capsys, unit):
    text = _at_limit(unit)
    assert len(text) == MAX_REQUIREMENT_CHARS
    # CPU seconds of this process, not wall time: a loaded machine must not fail the test.
    # The bound only catches a blow-up (quadratic reading of the text): the run takes ~2 s.
    started = time.process_time()
    code, out, err = run(capsys, text, "--format", "json")
    assert time.process_time() - started < 60
    assert "Traceback" not in err
    if code == 0:
        assert json.loads(out)["self_check"]
    else:
        assert_usage_error(code, err)


def test_a_number_longer_than_any_figure_is_refused(capsys):
    code, _, err = run(capsys, "manage invoices at " + "9" * 10_000 + " requests per second")
    assert_usage_error(code, err, "10,000 digits")


# 2. Spec values validated with bounds ---------------------------------------------------

BIG = "9" * 400


@pytest.mark.parametrize("body, field, expected", [
    ("traffic: {writes: lots}", "traffic.writes", "cannot read 'lots' as a rate"),
    ("traffic: {peak_factor: fast}", "traffic.peak_factor", "cannot read 'fast' as a number"),
    ("traffic: [1, 2]", "traffic", "must be a mapping"),
    ("data: {query_chars: 1001}", "data.query_chars", "between 1 and 1000"),
    ("traffic: {writes: [1, 2]}", "traffic.writes", "not a list"),
    ("traffic: {writes: {a: 1}}", "traffic.writes", "not a mapping"),
    ("traffic: {writes: true}", "traffic.writes", "not a boolean"),
    ("traffic: {writes: .inf}", "traffic.writes", "finite"),
    ("traffic: {writes: .nan}", "traffic.writes", "finite"),
    (f"traffic: {{writes: {BIG}}}", "traffic.writes", "400 digits"),
    ("traffic: {writes: 1.0e16}", "traffic.writes", "at most 1e+15"),
    ("traffic: {writes: -500}", "traffic.writes", "negative"),
    ("traffic: {writes: '-500/s'}", "traffic.writes", "negative"),
    ("traffic: {writes: 0}", "traffic.writes", "greater than 0"),
    ("traffic: {daily_active_users: 0}", "traffic.daily_active_users", "greater than 0"),
    ("traffic: {total_users: -3}", "traffic.total_users", "negative"),
    ("traffic: {peak_factor: .inf}", "traffic.peak_factor", "finite"),
    ("traffic: {read_write_ratio: yes}", "traffic.read_write_ratio", "not a boolean"),
    ("data: {record_size: 0}", "data.record_size", "greater than 0"),
    ("data: {record_size: '0 KB'}", "data.record_size", "greater than 0"),
    ("data: {record_size: [2 KB]}", "data.record_size", "not a list"),
    ("data: {retention: 7}", "data.retention", "as a duration"),
    ("data: {retention: '-7 years'}", "data.retention", "negative"),
    ("data: {retention: 2024-01-01}", "data.retention", "date"),
    ("targets: {latency_p99_ms: .inf}", "targets.latency_p99_ms", "finite"),
    ("targets: {availability: '1e999'}", "targets.availability", "too large"),
    ("domains: [{a: 1}]", "domains", "not a mapping"),
    ("entity: [x]", "entity", "must be a string, not a list"),
    ("stack: {a: 1}", "stack", "must be a string"),
    ("requirement: 5", "requirement", "must be a string"),
    ("entity: !custom x", "entity", "unsupported YAML tag"),
    ("traffic: {? [a] : 1}", "traffic", "plain field names"),
])
def test_bad_spec_values_name_the_field_and_line(capsys, tmp_path, body, field, expected):
    code, _, err = run(capsys, write_spec(tmp_path, body))
    assert_usage_error(code, err, "line 3", f"{field}:", expected)


def test_a_spec_with_good_values_still_designs(capsys, tmp_path):
    spec = write_spec(tmp_path, "traffic: {writes: 500, daily_active_users: 2M}\ndata: {record_size: 2 KB, retention: 3 years}")
    code, out, err = run(capsys, spec)
    assert code == 0, err
    assert out.startswith("# Design")


@pytest.mark.parametrize("text, expected", [
    ("an API to manage invoices, -500 requests per second", "negative figure in"),
    ("an API to manage invoices storing \u22125 KB records", "negative figure in"),
    ("an API to manage invoices at 1e999 requests per second", "too large to be meaningful"),
    ("an API to manage invoices at 10^30 requests per second", "too large to be meaningful"),
    ("an API to manage invoices at 9^99999999 requests per second", "too large to be meaningful"),
    ("an API to manage invoices at 1e18 requests per second", "at most 1e+15"),
])
def test_negative_and_absurd_figures_in_text_are_refused(capsys, text, expected):
    code, _, err = run(capsys, text)
    assert_usage_error(code, err, expected)


def test_hyphens_and_ranges_are_not_negative(capsys):
    code, _, err = run(capsys, "an API to manage invoices, 3-5 KB records, 2024-01-05 launch, p-99, +/-5% error")
    assert code == 0, err


def test_an_oversized_spec_file_is_refused_unread(capsys, tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"version: 1\n" + b"#" * 2_000_000)
    code, _, err = run(capsys, str(path))
    assert_usage_error(code, err, "larger than")


def test_an_unwritable_output_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "an API to manage invoices", "--output", str(tmp_path / "missing" / "out.md"))
    assert_usage_error(code, err, "cannot write")


EXTREMES = {
    "largest": "traffic: {writes: 1.0e+15, reads: 1.0e+15, daily_active_users: 1.0e+11, total_users: 1.0e+11, "
               "fanout: 1.0e+9, peak_factor: 100, read_write_ratio: 1.0e+9}\n"
               "data: {record_size: 1000000000000, media_size: 1.0e+13, media_fraction: 1, retention: 1000 years, query_chars: 1000}\n"
               "targets: {latency_p99_ms: 1, latency_p50_ms: 1, availability: 99.9999}",
    "smallest": "traffic: {writes: 0.001, reads: 0.001, daily_active_users: 1, total_users: 1, fanout: 0, peak_factor: 1}\n"
                "data: {record_size: 1, media_size: 1, media_fraction: 0, retention: 1 day, query_chars: 1}\n"
                "targets: {latency_p99_ms: 86400000, availability: 50}",
}


@pytest.mark.parametrize("domain", ["auth", "payments", "orders", "catalogue", "typeahead", "media", "notifications",
                                    "chat", "feeds", "public_api", "url_shortener", "crawler", "crud"])
@pytest.mark.parametrize("extreme", ["largest", "smallest"])
def test_every_domain_designs_at_the_edges_of_the_bounds(capsys, tmp_path, domain, extreme):
    """The bounds are the promise: anything inside them designs without a crash."""
    path = tmp_path / "spec.yaml"
    path.write_text(f"version: 1\ndomains: [{domain}]\n{EXTREMES[extreme]}\n", encoding="utf-8")
    code, out, err = run(capsys, str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["capacity"]


def test_a_crawler_sized_by_daily_users_designs(capsys):
    """The crawler domain has no per-user write rate; a user count must not crash it."""
    code, _, err = run(capsys, "a web crawler for 10M daily active users")
    assert code == 0, err


# 3. Absurd scale gets a warning ----------------------------------------------------------

def test_absurd_but_possible_scale_is_designed_with_a_warning(capsys):
    code, out, err = run(capsys, "an API to manage invoices at 10^14 requests per second")
    assert code == 0, err
    assert "Scale check: Peak load of 100,000,000,000,000 requests/s is beyond the largest known deployments" in out
    assert "Scale check: The plan needs" in out  # the instance count, too
    assert out.count("check the figures") >= 2


def test_spec_scale_warning_reaches_json(capsys, tmp_path):
    code, out, err = run(capsys, write_spec(tmp_path, "traffic: {writes: 2.0e+7}"), "--format", "json")
    assert code == 0, err
    questions = [q["question"] for q in json.loads(out)["open_questions"]]
    assert any(q.startswith("Scale check: Peak load") for q in questions), questions


def test_ordinary_scale_has_no_warning(capsys):
    code, out, err = run(capsys, REALISTIC)
    assert code == 0, err
    assert "Scale check" not in out


# 4. Identifiers are safe in every stack --------------------------------------------------

HOSTILE_NAMES = ["x; DROP TABLE users; --", 'a"b\n*/ """ -- c', "class", "func"]


@pytest.mark.parametrize("stack", ["fastapi", "express", "spring", "go"])
@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["sql-injection", "terminators", "class", "func"])
def test_hostile_entity_names_become_safe_identifiers(capsys, tmp_path, stack, name):
    spec = write_spec(tmp_path, "entity: " + json.dumps(name))
    code, out, err = run(capsys, spec, "--stack", stack, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    tables = re.findall(r"CREATE TABLE (\S+) \(", doc["ddl"])
    assert tables and all(SAFE_NAME.fullmatch(t) and t not in RESERVED for t in tables), tables
    generated = doc["ddl"] + "".join(f["content"] for f in doc["code"]) + json.dumps(doc["openapi"])
    for fragment in ("DROP TABLE", 'a"b', "*/ \"\"\"", ";--"):
        assert fragment not in generated
    assert "DROP" not in doc["ddl"].upper().replace("DROP_", "")
    checks = {c["name"]: c for c in doc["self_check"]}
    assert checks["code skeleton parses"]["status"] == "passed", checks["code skeleton parses"]
    assert checks["SQL DDL parses and runs (SQLite, in memory)"]["status"] == "passed"


@pytest.mark.parametrize("raw, singular, plural", [
    ("x; DROP TABLE users; --", "x_drop_table_user", "x_drop_table_users"),
    ('a"b', "a_b", "a_bs"),
    ("line1\nline2", "line1_line2", "line1_line2s"),
    ("*/", "item", "items"),
    ("数据", "item", "items"),
    ("", "item", "items"),
    ("café", "cafe", "cafes"),
    ("123", "item_123", "item_123s"),
    ("class", "class_item", "class_items"),
    ("select", "select_item", "select_items"),
    ("func", "func_item", "func_items"),
    ("Invoices", "invoice", "invoices"),
])
def test_entity_names(raw, singular, plural):
    assert entity_names(raw) == (singular, plural)


@pytest.mark.parametrize("raw", ["x; DROP TABLE users; --", "class", "is", "s", "bus", "数据", "a" * 100, "Invoices"])
def test_entity_names_are_stable_when_applied_to_their_own_table_name(raw):
    """The proposal re-derives the names from the table name; both passes must agree."""
    assert entity_names(entity_names(raw)[1]) == entity_names(raw)


def test_identifiers_are_bounded_and_never_reserved():
    assert len(snake_identifier("a" * 10_000)) <= 30
    for word in sorted(RESERVED):
        s, p = entity_names(word)
        assert s not in RESERVED and p not in RESERVED and SAFE_NAME.fullmatch(s) and SAFE_NAME.fullmatch(p)


def test_unicode_only_entity_falls_back_through_the_cli(capsys, tmp_path):
    code, out, err = run(capsys, write_spec(tmp_path, 'entity: "数据"'), "--format", "json")
    assert code == 0, err
    assert "CREATE TABLE items (" in json.loads(out)["ddl"]


def test_comment_safe_text_cannot_end_a_comment():
    text = comment_safe('evil */ code\n# next line """ \\ \x00 /* x')
    assert "\n" not in text and "*/" not in text and '"""' not in text and "\\" not in text and "\x00" not in text


# 5. The self-check parses what it generated ---------------------------------------------

@pytest.mark.parametrize("path, language, content, line", [
    ("app/main.py", "python", "def ok():\n    return 1\n\ndef broken(:\n", 4),
    ("src/app.ts", "typescript", "const a = 1;\nfunction f( {\n", 2),
    ("src/Main.java", "java", "class A {\n  void f() { int x = ; }\n}\n", 2),
    ("api/h.go", "go", "package api\n\nfunc f() {\n\tx := \n}\n", 4),
])
def test_code_that_does_not_parse_fails_the_check_with_file_and_line(path, language, content, line):
    check = check_code((GeneratedFile(path, language, content),))
    assert check.status == "failed"
    assert check.details[0].startswith(f"{path}: line {line}:"), check.details


@pytest.mark.parametrize("language, content", [
    ("python", "x = 1\n"), ("typescript", "const x: number = 1;\n"),
    ("java", "class A { int x = 1; }\n"), ("go", "package a\n\nvar x = 1\n"),
])
def test_code_that_parses_passes_and_says_which_parser_ran(language, content):
    check = check_code((GeneratedFile("f", language, content),))
    assert check.status == "passed"
    assert "parsed by" in check.details[0]


def test_ddl_with_an_injected_statement_fails_the_check():
    check = check_ddl("CREATE TABLE x; DROP TABLE users; --s (\n    id uuid primary key\n);\n")
    assert check.status == "failed"
    assert check.details[0].startswith("line 1:")


def test_ddl_with_only_a_drop_fails_and_balanced_ddl_passes():
    assert check_ddl("DROP TABLE users;\n").status == "failed"
    assert check_ddl("CREATE TABLE t (\n    id uuid primary key\n);\nCREATE TABLE u (id int\n").status == "failed"
    ok = check_ddl("CREATE TABLE t (\n    id uuid primary key,\n    at timestamptz not null default now()\n);\n"
                   "CREATE INDEX ix_t ON t USING btree (at);\n")
    assert ok.status == "passed", ok.details
    assert "2 statements" in ok.details[0] and "rewritten" in ok.details[1]


def test_the_cli_self_check_fails_when_a_name_escapes_sanitising(capsys, tmp_path, monkeypatch):
    """Were the identifier step bypassed, the injected name must fail the self-check
    instead of the old 'passed'."""
    import servicelens.design.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "entity_names", lambda raw: (raw, raw + "s"))
    code, out, err = run(capsys, write_spec(tmp_path, 'entity: "x; DROP TABLE users; --"'), "--format", "json")
    assert code == 0, err
    checks = {c["name"]: c for c in json.loads(out)["self_check"]}
    assert checks["SQL DDL parses and runs (SQLite, in memory)"]["status"] == "failed"
    assert checks["code skeleton parses"]["status"] == "failed"
    assert "app/main.py: line" in checks["code skeleton parses"]["details"][0]


def test_markdown_output_neutralises_html_in_the_requirement(capsys):
    code, out, err = run(capsys, "an API to manage invoices <script>alert(1)</script> at 500 rps <img src=x onerror=y>")
    assert code == 0, err
    assert "<script>" not in out and "</script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


def test_undecodable_command_line_bytes_do_not_crash_the_output(capsys, tmp_path):
    """argv bytes that are not UTF-8 arrive as surrogate escapes; writing them crashed."""
    out_file = tmp_path / "design.md"
    code, _, err = run(capsys, "an API to manage invoices \udcff\udcfe at 500 rps", "--output", str(out_file))
    assert code == 0, err
    assert "invoices \ufffd\ufffd at 500 rps" in out_file.read_text(encoding="utf-8")


def test_lone_surrogates_from_yaml_escapes_do_not_crash_the_output(capsys, tmp_path):
    spec = write_spec(tmp_path, 'requirement: "manage invoices \\ud800"\ntraffic: {writes: "5 per second \\ud800"}')
    out_file = tmp_path / "design.md"
    code, _, err = run(capsys, spec, "--output", str(out_file))
    # the budgeted loader (libyaml) refuses a lone-surrogate escape: one line, exit 2, no traceback
    assert code == 2, err
    assert err.startswith("servicelens: error: design:") and err.count("\n") == 1
    assert "not valid YAML" in err
    assert not out_file.exists()


def test_a_missing_grammar_is_reported_as_not_run_never_as_passed(monkeypatch):
    from servicelens.design import syntax_check

    def missing():
        raise ImportError("no tree_sitter_go")

    monkeypatch.setitem(syntax_check._GRAMMARS, "go", missing)
    check = check_code((GeneratedFile("api/h.go", "go", "package api\n"),))
    assert check.status == "not-run"
    assert check.details == ("api/h.go: not parsed (the go grammar is unavailable: ImportError)",)
