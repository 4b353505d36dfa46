"""`servicelens agent install`: put the backend-engineer agent and the MCP server into a project."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import click
import typer


class HostName(str, Enum):
    opencode = "opencode"
    claude_code = "claude-code"


agent_app = typer.Typer(no_args_is_help=True, help="The backend-engineer agent for AI coding hosts.")


@agent_app.command("install")
def install(
    host: Annotated[HostName, typer.Option("--host", help="The AI coding host to install into.")],
    directory: Annotated[Path, typer.Option("--dir", metavar="DIR", help="The project directory (default: the working directory).")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Replace a different agent file or servicelens server entry.")] = False,
) -> None:
    """Write the backend-engineer agent and register `servicelens mcp` in the host's project config."""
    from servicelens.agent import InstallError
    from servicelens.agent import install as run_install

    try:
        changes = run_install(host.value, directory, force=force)
    except InstallError as exc:
        raise click.UsageError(str(exc)) from exc
    for change in changes:
        typer.echo(f"{change.action.value:9} {change.path}")


def register(app: typer.Typer) -> None:
    """Adds the `agent` command group to the servicelens CLI."""
    app.add_typer(agent_app, name="agent")
