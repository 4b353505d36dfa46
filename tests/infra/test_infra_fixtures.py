"""Annotated fixtures for the infrastructure and API-contract analyses.

A fixture is `tests/fixtures/<concern-id>/<name>` (one file) or `<name>/` (a directory
whose files form one project, for cross-file facts such as a PDB or a `$ref`). Grammar:
`# expect: <concern-id>[, <concern-id>]` trailing a line means a finding of that concern
starts on that line; standing alone it means the next non-comment line. Every other
line must stay silent for the fixture's concern (the directory name).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

import pytest

from servicelens.analysis.base import Project, SourceFile
from servicelens.config.settings import Settings
from servicelens.sources.languages import kind_of_path, sniff_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONCERNS = (
    "container-runs-as-root", "unpinned-dependency", "secret-in-image", "missing-resource-limits",
    "missing-health-check", "single-replica", "api-unauthenticated-operation", "api-unbounded-input",
    "api-no-pagination", "api-no-rate-limit", "api-inconsistent-errors", "api-unversioned",
)
_EXPECT = re.compile(r"#\s*(?<![\w-])expect:\s*([a-z0-9, -]+?)\s*$")


def _analyses() -> tuple[object, ...]:
    from servicelens.contracts import ANALYSES as CONTRACTS
    from servicelens.infra import ANALYSES as INFRA

    return (*INFRA, *CONTRACTS)


def _fixtures() -> list[Path]:
    out: list[Path] = []
    for concern in CONCERNS:
        directory = FIXTURES / concern
        if directory.is_dir():
            out.extend(sorted(p for p in directory.iterdir() if not p.name.startswith((".", "_"))))
    return out


def source_file(rel: str, text: str) -> SourceFile:
    kind = kind_of_path(rel)
    if kind == "sniff":
        kind = sniff_document(text, PurePosixPath(rel).suffix.lower())
    return SourceFile(rel, kind or "unknown", text, hashlib.sha256(text.encode()).hexdigest())


def build_project(root: Path, paths: list[Path]) -> Project:
    files = tuple(sorted((source_file(p.relative_to(root).as_posix(), p.read_text("utf-8")) for p in paths),
                         key=lambda f: f.rel))
    return Project(root=root, settings=Settings(), files=files, modules={})


def expected_lines(text: str, concern: str) -> set[int]:
    lines = text.splitlines()
    out: set[int] = set()
    for index, line in enumerate(lines):
        match = _EXPECT.search(line)
        if not match or concern not in {c.strip() for c in match.group(1).split(",")}:
            continue
        if not line.lstrip().startswith("#"):
            out.add(index + 1)
            continue
        for later in range(index + 1, len(lines)):
            stripped = lines[later].strip()
            if stripped and not stripped.startswith("#"):
                out.add(later + 1)
                break
    return out


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(fixture: Path) -> None:
    concern = fixture.parent.name
    root = fixture if fixture.is_dir() else fixture.parent
    paths = sorted(p for p in fixture.rglob("*") if p.is_file()) if fixture.is_dir() else [fixture]
    project = build_project(root, paths)
    found: dict[str, set[int]] = {}
    for analysis in _analyses():
        result = analysis.run(project)  # type: ignore[attr-defined]
        for finding in result.findings:
            if finding.concern == concern:
                found.setdefault(finding.location.path, set()).add(finding.location.start_line)
    problems = []
    for f in project.files:
        want = expected_lines(f.text, concern)
        got = found.get(f.rel, set())
        if want != got:
            problems.append(f"{fixture.parent.name}/{f.rel}: missed lines: {sorted(want - got)} "
                            f"unexpected lines: {sorted(got - want)}")
    assert not problems, "\n".join(problems)


def test_every_concern_has_a_fixture() -> None:
    missing = [c for c in CONCERNS if not (FIXTURES / c).is_dir() or not any((FIXTURES / c).iterdir())]
    assert not missing, f"no fixtures for {missing}"
