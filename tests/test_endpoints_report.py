"""The triage endpoint report groups each endpoint's auth evidence by the mechanism that decided it."""
from __future__ import annotations

import importlib.util
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "triage" / "endpoints_report.py"


def _report_module():
    spec = importlib.util.spec_from_file_location("endpoints_report", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_evidence_kinds_name_the_project_wide_mechanisms() -> None:
    kind = _report_module().evidence_kind
    assert kind("before_request hook `require_session` on `entries_bp`: `verify` checks `token`") == "request-hook"
    assert kind("`with_account` in the decorators of base class `AccountResource`: ...") == "inherited-decorator"
    assert kind("@allows.requires (flask_allows.Allows.requires) checks the caller's permission") \
        == "library-permission"
    assert kind("permission_classes = [IsAuthenticated]") == "permission-class"
    assert kind("") == "(none)"


def test_shape_counts_flag_missing_paths_any_method_and_repeated_routes() -> None:
    counts = _report_module().shape_counts([
        {"method": "GET", "path": "/loans"}, {"method": "GET", "path": "/loans"},
        {"method": "*", "path": "/health"}, {"method": "POST", "path": "(registered elsewhere)"},
    ])
    assert counts == {"without_path": 1, "any_method": 1, "repeated_routes": 1}
