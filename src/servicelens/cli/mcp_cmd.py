"""`servicelens mcp`: a thin adapter that starts the MCP server on stdio.

stdout belongs to the protocol from the first byte, so this command prints nothing there;
a bad `--root` is a usage error before the server starts.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import click
import typer


def mcp(
    root: Annotated[list[Path] | None, typer.Option(
        "--root", metavar="DIR", help="Also allow tools to read under DIR (repeatable). The working directory is always allowed.")] = None,
) -> None:
    """Serve review, finding, explain, design and check to an AI coding agent (MCP over stdio)."""
    roots = list(root or [])
    for directory in roots:
        if not directory.is_dir():
            raise click.UsageError(f"--root {directory}: not a directory")
    try:
        from servicelens.mcp_server import serve
    except ImportError as exc:  # the SDK is a dependency; a broken install says so plainly
        raise click.UsageError(f"the MCP SDK is not installed ({exc.name}); pip install 'mcp>=2,<3'") from exc
    serve(roots)


def register(app: typer.Typer) -> None:
    """Adds the `mcp` command to the servicelens CLI."""
    app.command("mcp")(mcp)
