"""`servicelens review | rules | explain | design | mcp | agent`: thin adapters over servicelens.api."""
from __future__ import annotations

import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import click
import typer

from servicelens import __version__
from servicelens.config.loader import ConfigError, load_settings, validate_concerns
from servicelens.model.concerns import load_taxonomy
from servicelens.model.finding import Severity

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="servicelens: a principal backend engineer's review of your service, offline.")


class Format(str, Enum):
    markdown = "markdown"
    json = "json"
    sarif = "sarif"
    html = "html"


class Profile(str, Enum):
    default = "default"
    extended = "extended"


class FailOn(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    never = "never"


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@app.command()
def review(
    path: Path = typer.Argument(..., help="File or directory to review."),
    format: Format = typer.Option(Format.markdown, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when a finding is at or above this severity."),
    select: Optional[list[str]] = typer.Option(None, "--select", help="Only these concern ids or categories (comma-separated)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", help="Skip these concern ids or categories."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: by tree size)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the cache."),
    include_tests: bool = typer.Option(False, "--include-tests", help="Also report findings in test code."),
    profile: Optional[Profile] = typer.Option(
        None, "--profile", help="default: what is worth acting on; extended: also rules not (yet) measured at 80% "
        "precision and performance/reliability findings in code that never serves a request."),
    diff: Optional[str] = typer.Option(
        None, "--diff", metavar="BASE", help="Only findings the change introduced: on lines added or changed "
        "since the merge-base of BASE and HEAD (uncommitted edits and untracked files included), or with "
        "evidence passing through one. The whole tree is still analysed."),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", metavar="REPORT.json", help="Only findings whose fingerprints are not in this "
        "earlier `--format json` report."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary on stderr."),
) -> None:
    """Review a service or a repository of services."""
    from servicelens.api import BaselineError, GitError
    from servicelens.api import review as run_review
    from servicelens.cli.progress import ProgressBar
    from servicelens.render import render
    from servicelens.taint.models import ModelError

    if not path.exists():
        raise click.UsageError(f"path does not exist: {path}")
    if diff is not None and baseline is not None:
        raise click.UsageError("--diff and --baseline cannot be combined; choose one")
    if output is not None:
        _check_output(output)  # before the review, so a long one is not wasted
    try:
        settings = load_settings(
            path,
            select=validate_concerns(_split(select), "--select") if select else None,
            ignore=validate_concerns(_split(ignore), "--ignore") if ignore else None,
            jobs=jobs, use_cache=False if no_cache else None, include_tests=True if include_tests else None,
            profile=profile.value if profile else None,
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    bar = ProgressBar() if not quiet else None
    started = time.monotonic()
    try:
        report = run_review(path, settings, bar, diff_base=diff, baseline=baseline)
    except ModelError as exc:  # the repository's own models (config `models`) are configuration
        raise click.UsageError(f"models: {exc}") from exc
    except (GitError, BaselineError) as exc:
        if bar is not None:
            bar.close()
        raise click.UsageError(str(exc)) from exc
    if bar is not None:
        bar.close()
    _write_report(render(report, format.value), output)
    if not quiet and (output is not None or format is not Format.markdown):
        counts = ", ".join(f"{n} {s}" for s, n in report.overview.severity_counts if n)
        where = f" -> {output}" if output else ""
        sys.stderr.write(f"servicelens: {report.stats.files} files, {report.stats.lines} lines, "
                         f"{len(report.findings)} findings ({counts or 'none'}) in {time.monotonic() - started:.1f}s{where}\n")
    if fail_on is not FailOn.never:
        threshold = Severity(fail_on.value).rank
        if any(f.severity.rank >= threshold for f in report.findings):
            raise typer.Exit(1)


def _check_output(output: Path) -> None:
    """Fail now, not after the review, when the report obviously cannot be written there."""
    target = output.absolute()
    problem = None
    if target.is_dir():
        problem = "it is a directory"
    elif not target.parent.is_dir():
        problem = f"directory {target.parent} does not exist"
    elif not os.access(target if target.exists() else target.parent, os.W_OK):
        problem = "permission denied"
    if problem:
        raise click.UsageError(f"cannot write the report to {output}: {problem}")


def _write_report(text: str, output: Path | None) -> None:
    """UTF-8 bytes whatever the locale; a failed write is a one-line error, never a traceback."""
    data = text.encode("utf-8", "backslashreplace")
    try:
        if output is not None:
            output.write_bytes(data)
            return
        stream = getattr(sys.stdout, "buffer", None)
        sys.stdout.flush()
        if stream is None:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
        else:
            stream.write(data)
            stream.flush()
    except OSError as exc:
        where = output if output is not None else "stdout"
        raise click.UsageError(f"cannot write the report to {where}: {exc.strerror or exc}") from exc


@app.command()
def rules() -> None:
    """List the concerns servicelens reports, with category, CWE and default severity."""
    for concern in load_taxonomy().concerns.values():
        cwe = ", ".join(f"CWE-{c}" for c in concern.cwe) or "-"
        typer.echo(f"{concern.id:32} {concern.category.value:16} {concern.default_severity.value:9} {cwe}")


@app.command()
def explain(concern: str = typer.Argument(..., help="A concern id, e.g. sql-injection.")) -> None:
    """What a concern is, why it matters and how to fix it, with examples."""
    from servicelens.api import explain as explain_text

    try:
        (concern_id,) = validate_concerns([concern], "explain")
    except (ConfigError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    typer.echo(explain_text(concern_id))


def _register_extensions() -> None:
    from servicelens.cli import agent_cmd, design_cmd, mcp_cmd, precommit_cmd

    design_cmd.register(app)
    mcp_cmd.register(app)
    agent_cmd.register(app)
    precommit_cmd.register(app)


_register_extensions()


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Show the version and exit.")) -> None:
    if version:
        typer.echo(f"servicelens {__version__}")
        raise typer.Exit()


def main(argv: list[str] | None = None) -> int:
    """Entry point: usage errors are one line on stderr and exit code 2.

    Exit 1 means only "findings reached --fail-on", so anything unexpected is also a
    one-line error with exit 2, never a traceback. Typer ships its own copy of click, so
    its exceptions are not click's classes: they are recognised by class name, which both
    copies share."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="servicelens", standalone_mode=False)
    except KeyboardInterrupt:
        return 130
    except FileNotFoundError as exc:
        sys.stderr.write(f"servicelens: error: {_one_line(exc)}\n")
        return 2
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes below, re-raised otherwise
        names = {cls.__name__ for cls in type(exc).__mro__}
        if "Exit" in names:
            return int(getattr(exc, "exit_code", 0))
        if "Abort" in names:
            sys.stderr.write("servicelens: aborted\n")
            return 130
        if "ClickException" in names:
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            sys.stderr.write(f"servicelens: error: {' '.join(str(message).split())}\n")
            return 2  # a bare ClickException says 1, which is reserved for --fail-on
        sys.stderr.write(f"servicelens: error: internal error: {exc.__class__.__name__}: {_one_line(exc)}\n")
        return 2
    return result if isinstance(result, int) else 0


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text if len(text) <= 300 else text[:297] + "..."
