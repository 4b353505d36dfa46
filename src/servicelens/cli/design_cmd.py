"""`servicelens design`: a thin adapter. Reads the input, calls design/, renders, writes.

Exit codes: 0 a proposal was produced; 2 bad input (empty, meaningless, over-long or
out-of-bounds requirement, malformed or oversized spec, unknown stack, unwritable output),
with a one-line `servicelens: error: design: ...` message on stderr.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class DesignFormat(str, Enum):
    markdown = "markdown"
    json = "json"
    html = "html"


class Stack(str, Enum):
    fastapi = "fastapi"
    express = "express"
    spring = "spring"
    go = "go"


def _render(fmt: DesignFormat, proposal) -> str:
    if fmt is DesignFormat.json:
        from servicelens.render.design_json import render_design_json
        return render_design_json(proposal)
    if fmt is DesignFormat.html:
        from servicelens.render.design_html import render_design_html
        return render_design_html(proposal)
    from servicelens.render.design_markdown import render_design_markdown
    return render_design_markdown(proposal)


# A spec is a page of YAML; a larger file is not a spec, and reading it whole could
# exhaust memory before the YAML loader ever saw it.
MAX_SPEC_BYTES = 1_000_000


def _read_spec(requirement: str) -> str:
    """The spec through the tool's one safe reader (regular files only, capped); a path
    given on the command line may itself be a symlink, so it is resolved first."""
    from servicelens.sources.safe_read import RefusedFile, read_whole

    path = Path(requirement)
    if not path.exists():
        _fail(f"file not found: {_short(requirement)}")
    try:
        data = read_whole(path.resolve(), MAX_SPEC_BYTES)
    except RefusedFile as exc:
        if exc.kind == "too-large":
            _fail(f"{_short(requirement)}: the spec is larger than {MAX_SPEC_BYTES:,} bytes; "
                  "a design spec is a page of YAML")
        _fail(f"{_short(requirement)}: {exc.reason}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{_short(requirement)}: not UTF-8 text (byte {exc.start})")


def _fail(message: str, questions: tuple[str, ...] = ()) -> None:
    typer.echo(f"servicelens: error: design: {' '.join(message.split())}", err=True)
    for q in questions:
        typer.echo(f"  - {q}", err=True)
    raise typer.Exit(2)


def design(
    requirement: Annotated[str, typer.Argument(help="Requirement text, a path to a .txt/.md file holding it, or a path to a .yaml/.yml spec")],
    format: Annotated[DesignFormat, typer.Option("--format", "-f", help="Output format")] = DesignFormat.markdown,
    stack: Annotated[Optional[Stack], typer.Option("--stack", help="Stack for the code skeleton (default: this repo's, else fastapi)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE instead of stdout")] = None,
    emit_spec: Annotated[bool, typer.Option("--emit-spec", help="Write the spec (YAML, version 2) the requirement was "
                                            "understood as, to edit and run again, instead of the proposal")] = False,
) -> None:
    """Turn a requirement into an architecture proposal with numbers."""
    # imported here, not with the module: every command's start-up (a review's main process, whose
    # CPU is serial) would otherwise load the design package (~0.3 CPU s) it never uses
    from servicelens.design import (
        DesignInputError,
        SpecError,
        design_from_spec,
        design_from_text,
        detect_stack,
    )

    chosen = stack.value if stack else None
    single_line = "\n" not in requirement
    is_spec = requirement.lower().endswith((".yaml", ".yml")) and single_line
    # "requirement.txt" is a file to read, not a requirement to design (a name is not a system)
    is_text_file = single_line and requirement.lower().endswith((".txt", ".md")) and " " not in requirement.strip()
    try:
        if is_spec:
            text = _read_spec(requirement)
            proposal = design_from_spec(text, chosen or detect_stack(Path.cwd()) or None)
        else:
            text = _read_spec(requirement) if is_text_file else requirement
            proposal = design_from_text(text, chosen or detect_stack(Path.cwd()) or "fastapi")
    except SpecError as exc:
        _fail(f"{_short(requirement)}: {exc}")
    except DesignInputError as exc:
        _fail(str(exc) + (" Answer these:" if exc.questions else ""), exc.questions)
    if emit_spec:
        from servicelens.design.spec_full import dump_spec
        rendered = dump_spec(proposal.requirement, proposal.stack)
    else:
        rendered = _render(format, proposal)
    if output:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror or exc}")
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(rendered, nl=False)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def register(app: typer.Typer) -> None:
    """Adds the `design` command to the servicelens CLI."""
    app.command("design")(design)
