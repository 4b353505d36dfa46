"""Build a Project from inline files and run the infra + contract analyses on it."""
from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path, PurePosixPath

from servicelens.analysis.base import AnalysisResult, Project, SourceFile
from servicelens.config.settings import Settings
from servicelens.contracts import ANALYSES as CONTRACTS
from servicelens.infra import ANALYSES as INFRA
from servicelens.sources.languages import kind_of_path, sniff_document


def project(files: dict[str, str]) -> Project:
    out = []
    for rel, text in sorted(files.items()):
        text = textwrap.dedent(text).lstrip("\n")
        kind = kind_of_path(rel)
        if kind == "sniff":
            kind = sniff_document(text, PurePosixPath(rel).suffix.lower())
        out.append(SourceFile(rel, kind or "unknown", text, hashlib.sha256(text.encode()).hexdigest()))
    return Project(root=Path("/nonexistent"), settings=Settings(), files=tuple(out), modules={})


def run(files: dict[str, str]) -> AnalysisResult:
    p = project(files)
    results = [a.run(p) for a in (*INFRA, *CONTRACTS)]
    return AnalysisResult(
        findings=tuple(f for r in results for f in r.findings),
        diagnostics=tuple(d for r in results for d in r.diagnostics),
        deployables=tuple(d for r in results for d in r.deployables),
        open_questions=tuple(q for r in results for q in r.open_questions),
    )


def lines_of(result: AnalysisResult, concern: str, path: str | None = None) -> list[int]:
    return sorted(f.location.start_line for f in result.findings
                  if f.concern == concern and (path is None or f.location.path == path))
