"""What the whole pipeline finds over every fixture, test project and the bundled example,
as stable sorted text lines: the reference a speed change must reproduce exactly.

A line per finding: target (relative to the repository), path inside it, rule, concern,
line, fingerprint, severity and held-back reason; plus a line per file the analysis
crashed on, so a change that breaks a file without findings is still caught."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from servicelens.api import review
from servicelens.config.loader import load_settings

REPO = Path(__file__).resolve().parents[2]
GOLDEN_FILE = Path(__file__).parent / "findings.tsv"
HEADER = "# target\tpath\trule\tconcern\tline\tfingerprint\tseverity\theld_back"
REGENERATE = "python -m tests.golden.regenerate"


def targets() -> list[Path]:
    """Every fixture case (file or directory), every test project and the example service."""
    found: list[Path] = []
    fixtures = REPO / "tests" / "fixtures"
    for concern_dir in sorted(p for p in fixtures.iterdir() if p.is_dir()):
        found.extend(case for case in sorted(concern_dir.iterdir())
                     if not case.name.startswith((".", "_")) and case.suffix != ".expect")
    found.extend(sorted(p for p in (REPO / "tests" / "projects").iterdir() if p.is_dir()))
    found.append(REPO / "examples" / "payments-service")
    return found


def target_lines(target: Path) -> Iterator[str]:
    """The review every user gets (the target's own config), with every finding shown and
    no cache, so the lines reflect the analysis and nothing stored from an earlier run."""
    root = target if target.is_dir() else target.parent
    settings = replace(load_settings(root), use_cache=False, profile="extended", jobs=1)
    report = review(target, settings)
    name = target.relative_to(REPO).as_posix()
    for f in report.findings:
        yield "\t".join((name, f.location.path, f.rule, f.concern, str(f.location.start_line),
                         f.fingerprint, f.severity.value, f.held_back or "-"))
    for d in report.diagnostics:
        if d.kind == "analysis-error":
            yield "\t".join((name, d.path, "-", "analysis-error", "0", "-", "-", d.message))


def current_lines() -> list[str]:
    return sorted(line for target in targets() for line in target_lines(target))


def render(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def stored_lines() -> list[str]:
    if not GOLDEN_FILE.exists():
        return []
    return [line for line in GOLDEN_FILE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
