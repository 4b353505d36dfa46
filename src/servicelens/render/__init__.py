"""Renderers: a `Report` in, text out, one function per format.

    Report ──┬── markdown  (default, for people)
             ├── json      (versioned, data/report.schema.json)
             ├── sarif     (2.1.0, for GitHub code scanning)
             └── html      (one self-contained page)

Renderers only format. Filtering and ordering happen before them, in the runner, so
every format shows the same findings in the same order.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from servicelens.model import Report
from servicelens.render.html import render_html
from servicelens.render.json_report import render_json
from servicelens.render.markdown import render_markdown
from servicelens.render.sarif import render_sarif

Renderer = Callable[[Report], str]

# Read-only so no caller can register a format behind another's back.
RENDERERS: Mapping[str, Renderer] = MappingProxyType({
    "markdown": render_markdown,
    "json": render_json,
    "sarif": render_sarif,
    "html": render_html,
})

FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(report: Report, fmt: str = "markdown") -> str:
    """Render `report` in `fmt`; an unknown format is a usage error naming the valid ones."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    return renderer(report)


__all__ = ["FORMATS", "RENDERERS", "Renderer", "render", "render_html", "render_json",
           "render_markdown", "render_sarif"]
