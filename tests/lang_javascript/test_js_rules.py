"""The JavaScript/TypeScript rules as a set: documented, named without `py-`, fixes in
JavaScript, silent on correct look-alike code, and the knowledge they read."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.javascript.runtime import node_globals, with_globals
from servicelens.rules.base import discover_rules
from servicelens.rules.javascript._node import knowledge

HERE = Path(__file__).parent
SECTIONS = ("## What it finds", "## Why it matters", "## Example", "## Fix", "## Known problems")
RULES = discover_rules("servicelens.rules.javascript")


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented_and_named_for_javascript(rule: object) -> None:
    assert rule.id.startswith("js-") and rule.language == "javascript"
    for section in SECTIONS:
        assert section in rule.doc, f"{rule.id} lacks {section}"
    assert "```js" in rule.doc


def test_findings_on_the_fixtures_carry_javascript_rule_ids_and_fixes() -> None:
    report = review(HERE / "fixtures", Settings(use_cache=False, profile="extended"))
    assert report.findings
    for finding in report.findings:
        assert not finding.rule.startswith("py-"), finding
        if finding.rule.startswith("js-") and finding.fix is not None and finding.fix.code:
            assert finding.fix.language in ("javascript", "typescript"), finding


def test_missing_authentication_fix_names_the_route() -> None:
    report = review(HERE / "fixtures" / "missing-authentication" / "admin.js",
                    Settings(use_cache=False, profile="extended", select=frozenset({"missing-authentication"})))
    [finding] = report.findings
    assert finding.rule == "js-missing-authentication"
    assert finding.fix is not None and "router.delete('/invoices/:id', requireAuth" in finding.fix.code
    assert "other routes on `router` require authentication" in finding.why or finding.title


def test_a_limiter_anywhere_silences_rate_limit_findings() -> None:
    report = review(HERE / "lookalikes" / "rate_limited", Settings(use_cache=False, profile="extended"))
    assert not [f for f in report.findings if f.concern in ("auth-brute-force", "missing-rate-limit")]


def test_a_global_limiter_subclass_covers_every_nest_route() -> None:
    """`{ provide: APP_GUARD, useClass: ProxyAwareThrottlerGuard }`, a project guard extending ThrottlerGuard."""
    report = review(HERE / "lookalikes" / "nest_global_limiter_subclass", Settings(use_cache=False, profile="extended"))
    assert not [f for f in report.findings if f.concern in ("auth-brute-force", "missing-rate-limit")]


def test_correct_typescript_service_has_no_findings() -> None:
    report = review(HERE / "lookalikes" / "clean_service", Settings(use_cache=False, profile="extended"))
    assert [(f.rule, f.location.path, f.location.start_line) for f in report.findings] == []


def test_globals_resolve_unless_the_module_binds_the_name() -> None:
    assert {"eval", "fetch", "Function"} <= node_globals()
    resolved = with_globals({"axios": "axios"}, frozenset({"fetch"}))
    assert resolved["eval"] == "eval" and resolved["axios"] == "axios" and "fetch" not in resolved


def test_knowledge_file_is_read_once_and_complete() -> None:
    known = knowledge()
    assert known is knowledge()
    assert known.http_calls["axios.post"].options == 2 and "timeout" in known.http_calls["axios.post"].keys
    assert "crypto.pbkdf2Sync" in known.blocking_calls and "md5" in known.weak_digests


def test_module_binding_shadows_a_global_in_taint() -> None:
    source = ("const express = require('express');\nconst app = express();\n"
              "function eval(x) { return 1; }\n"
              "app.get('/a', (req, res) => { res.json({ v: eval(req.query.x) }); });\n")
    from servicelens.analysis.javascript_file import analyze_javascript
    from servicelens.sources.parsing import ParserPool

    facts = analyze_javascript("app.js", source, ParserPool())
    assert not [sink for summary in facts.summaries for sink in summary.sinks if sink.kind == "code-injection"]


def test_overview_names_npm_datastores_and_clients(tmp_path: Path) -> None:
    (tmp_path / "db.js").write_text("const { Pool } = require('pg');\nconst axios = require('axios');\n"
                                    "module.exports = { pool: new Pool(), axios };\n", "utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    services = report.overview.services if report.overview else ()
    kinds = {store.kind for service in services for store in service.datastores}
    clients = {call.client for service in services for call in service.outbound_calls}
    assert "postgresql" in kinds and "axios" in clients
