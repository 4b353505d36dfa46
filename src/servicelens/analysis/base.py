"""The contract between the runner and every analysis family.

    Project (files read, Python modules lowered to IR, settings)
        -> Analysis.run(project) -> AnalysisResult (findings, overview facts, questions)

An analysis never reads files or the environment itself; it gets everything through
`Project`. It declares the concerns it can report so the runner can skip it entirely
when `--select` excludes them all.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Protocol

from servicelens.config.settings import Settings
from servicelens.ir import Module
from servicelens.model.finding import Finding
from servicelens.model.report import (
    Datastore,
    Deployable,
    Diagnostic,
    Endpoint,
    OpenQuestion,
    OutboundCall,
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file read as text. `kind` is a language (python, typescript, ...) or a document
    kind (dockerfile, compose, kubernetes, openapi, graphql, manifest)."""

    rel: str
    kind: str
    text: str
    sha256: str

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    settings: Settings
    files: tuple[SourceFile, ...]  # every file read (code and documents), sorted by path
    modules: Mapping[str, Module]  # Python (and later other) modules lowered to IR, by rel path

    def files_of(self, *kinds: str) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if f.kind in kinds)


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    findings: tuple[Finding, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    datastores: tuple[Datastore, ...] = ()
    outbound_calls: tuple[OutboundCall, ...] = ()
    queues: tuple[str, ...] = ()
    deployables: tuple[Deployable, ...] = ()
    frameworks: tuple[str, ...] = ()
    open_questions: tuple[OpenQuestion, ...] = ()


class Analysis(Protocol):
    """One analysis family. Implementations are plain objects with no mutable state."""

    name: str
    concerns: frozenset[str]

    def run(self, project: Project) -> AnalysisResult: ...

