"""`servicelens pre-commit FILES...`: the pre-commit hook's entry point.

pre-commit passes the staged files; reviewing them one by one would miss every flow that
crosses files, so each file is mapped to its service (sources/service_roots.py) and every
service touched is reviewed whole. Output is one line per finding at or above `--fail-on`,
in `path:line:` form relative to the repository, then a one-line summary.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import click
import typer

from servicelens.cli.main import FailOn, Profile


def pre_commit(
    files: Annotated[list[Path] | None, typer.Argument(help="Staged files (pre-commit passes them).")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Fail when a finding is at or above this severity.")] = FailOn.high,
    profile: Annotated[Profile | None, typer.Option("--profile", help="default or extended (see `review --help`).")] = None,
) -> None:
    """Review the services the given files belong to (the pre-commit hook); exit 1 at --fail-on."""
    from servicelens.api import review as run_review
    from servicelens.config.loader import ConfigError, load_settings
    from servicelens.model.finding import Severity
    from servicelens.sources.service_roots import service_roots

    top = Path.cwd()
    threshold = Severity(fail_on.value).rank if fail_on is not FailOn.never else None
    failing = total = 0
    roots = service_roots(list(files or []), top)
    for root in roots:
        try:
            settings = load_settings(root, profile=profile.value if profile else None)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from exc
        report = run_review(root, settings, None)
        prefix = _relative(root, top)
        for finding in report.findings:
            total += 1
            if threshold is not None and finding.severity.rank >= threshold:
                failing += 1
                where = f"{prefix}{finding.location.path}:{finding.location.start_line}"
                typer.echo(f"{where}: {finding.severity.value} {finding.concern}: {finding.title}")
    names = ", ".join(_relative(root, top).rstrip("/") or "." for root in roots) or "none"
    typer.echo(f"servicelens: {len(roots)} service(s) reviewed ({names}): {total} findings, "
               f"{failing} at or above --fail-on {fail_on.value}"
               + (f"; full report: servicelens review {names.split(', ')[0]}" if failing else ""))
    if failing:
        raise typer.Exit(1)


def _relative(root: Path, top: Path) -> str:
    """'' for the top itself, else 'services/payments/' so that prefix + path is repository-relative."""
    try:
        rel = root.resolve().relative_to(top.resolve())
    except ValueError:
        return f"{root}/"
    return "" if rel == Path(".") else f"{rel.as_posix()}/"


def register(app: typer.Typer) -> None:
    """Adds the `pre-commit` command to the servicelens CLI."""
    app.command("pre-commit")(pre_commit)
