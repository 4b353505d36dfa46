"""Markdown for `servicelens explain CONCERN`: the concern's facts, guidance and examples.

Formatting only: the taxonomy supplies id, category, CWE ids and default severity, the
guidance supplies the prose, examples and references.
"""
from __future__ import annotations

from servicelens.guidance import FRAMEWORK_LANGUAGES, FRAMEWORK_NAMES, Guidance, normalize_framework
from servicelens.model.concerns import Concern
from servicelens.render.markdown_text import cell, code, fence, table

CWE_URL = "https://cwe.mitre.org/data/definitions/{id}.html"


def cwe_link(cwe_id: int) -> str:
    return f"[CWE-{cwe_id}]({CWE_URL.format(id=cwe_id)})"


def render_explain(guidance: Guidance, concern_info: Concern, framework: str | None = None,
                   standing: str = "") -> str:
    """The explanation of one concern as Markdown.

    `framework` (optional) limits the examples to that framework's, when it has any;
    otherwise every example is shown, in the fixed framework order. `standing` says how
    precise the concern was measured to be and whether the default report shows it.
    """
    if guidance.concern != concern_info.id:
        raise ValueError(f"guidance for {guidance.concern!r} does not match concern {concern_info.id!r}")
    cwes = ", ".join(cwe_link(c) for c in concern_info.cwe) or "none assigned"
    lines = [f"# {concern_info.id}: {guidance.title}", ""]
    lines += table(("Field", "Value"), (
        ("Concern", code(concern_info.id)),
        ("Category", cell(concern_info.category.value)),
        ("CWE", cwes),
        ("Default severity", cell(concern_info.default_severity.value)),
        *((("Measured precision", cell(standing)),) if standing else ()),
    ))
    lines += ["", f"_{concern_info.description}_", ""]
    lines += ["## What the review found", "", guidance.what, ""]
    lines += ["## Why it matters", "", guidance.why, ""]
    lines += ["## How to fix it", "", guidance.fix, ""]
    lines += _examples(guidance, framework)
    lines += ["## References", ""]
    lines += [f"- <{url}>" for url in guidance.references]
    return "\n".join(lines).rstrip("\n") + "\n"


def _examples(guidance: Guidance, framework: str | None) -> list[str]:
    chosen = normalize_framework(framework) if framework else ""
    frameworks = [chosen] if chosen in guidance.examples else list(guidance.examples)
    if not frameworks:
        return []
    lines = ["## Examples", ""]
    for name in frameworks:
        example = guidance.examples[name]
        language = FRAMEWORK_LANGUAGES.get(name, "")
        lines += [f"### {FRAMEWORK_NAMES.get(name, name)}", "", "**Bad**", ""]
        lines += fence(example.bad, language)
        lines += ["", "**Good**", ""]
        lines += fence(example.good, language)
        lines.append("")
    return lines
