"""A file job carries its language: the per-file analysis is chosen by it, and a file whose
analysis fails is still reported in its own language."""
from __future__ import annotations

from servicelens import runner


def test_a_job_is_analysed_by_its_language() -> None:
    jobs = [runner.FileJob("svc/app.ts", "const x: number = 1;\n", "0" * 64, "typescript"),
            runner.FileJob("svc/app.py", "x = 1\n", "1" * 64, "python")]
    facts = runner.analyze_batch(jobs, (), frozenset())
    assert [f.language for f in facts] == ["typescript", "python"]


def test_a_failed_analysis_keeps_the_jobs_language() -> None:
    def broken(*args: object) -> object:
        raise ValueError("boom")

    job = runner.FileJob("svc/app.js", "x\n", "2" * 64, "javascript")
    fact = runner._safe_analyze(broken, job, None, None, frozenset(), ())
    assert fact.language == "javascript"
    assert "internal error while analysing (ValueError: boom)" in fact.diagnostics[0].message
