"""Reading infrastructure documents safely: templates, size and syntax become diagnostics.

    SourceFile --read_yaml--> YamlFile(docs, diagnostics) | skipped (unrendered template)

A Helm chart's `templates/` are Go templates, not YAML: reviewing them would report
placeholders as findings, so they are skipped with one diagnostic per directory that
says how to review them (`helm template ... > rendered.yaml`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from servicelens.infra.yamldoc import ParseProblem, YNode, load_documents
from servicelens.model.report import Diagnostic

MAX_DOCUMENTS = 2000  # per file; a rendered chart of a whole platform stays well below this
_GO_TEMPLATE = re.compile(
    r"\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s|template\s|toYaml|if\s|else|end\b|"
    r"range\s|with\s|define\s|\$\.|tpl\s|required\s|default\s|quote|printf\s|/\*)")


@dataclass(frozen=True, slots=True)
class YamlFile:
    rel: str
    lines: list[str]
    docs: tuple[YNode, ...]
    diagnostics: tuple[Diagnostic, ...]


def is_unrendered_template(text: str) -> bool:
    """Helm/Go template actions (`{{ .Values.x }}`, `{{- if }}`), not `{{ $labels }}` in alert text."""
    return any(_GO_TEMPLATE.search(line) for line in text.splitlines() if not line.lstrip().startswith("#"))


def read_yaml(rel: str, text: str) -> YamlFile:
    docs, problems = load_documents(text)
    diagnostics = [problem_diagnostic(rel, p) for p in problems]
    if len(docs) > MAX_DOCUMENTS:
        diagnostics.append(Diagnostic(rel, "too-large", f"{len(docs)} YAML documents; reviewed the first "
                                      f"{MAX_DOCUMENTS}", docs[MAX_DOCUMENTS].line))
        docs = docs[:MAX_DOCUMENTS]
    return YamlFile(rel, text.splitlines(), tuple(docs), tuple(diagnostics))


def problem_diagnostic(rel: str, problem: ParseProblem) -> Diagnostic:
    """An unreadable or refused document, said so that the reader knows the rest was reviewed."""
    what = "YAML over budget" if problem.kind == "yaml-budget" else "invalid YAML"
    return Diagnostic(rel, problem.kind, f"{what}: {problem.message}; this document was skipped, "
                      "the rest of the file was reviewed", problem.line)


def template_diagnostics(template_files: list[str]) -> list[Diagnostic]:
    """One diagnostic per directory of unrendered templates, naming how to review them."""
    by_dir: dict[str, list[str]] = {}
    for rel in template_files:
        by_dir.setdefault(str(PurePosixPath(rel).parent), []).append(rel)
    out = []
    for directory, files in sorted(by_dir.items()):
        chart = str(PurePosixPath(directory).parent) if PurePosixPath(directory).name == "templates" else directory
        out.append(Diagnostic(
            directory if len(files) > 1 else files[0], "unrendered-template",
            f"{len(files)} file(s) contain Helm/Go template syntax and were not reviewed; render them "
            f"(`helm template {chart} > rendered.yaml`) and review the output"))
    return out
