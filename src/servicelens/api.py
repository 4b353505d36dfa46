"""The public Python API; the CLI, HTTP service and MCP server all go through here."""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from servicelens.config.loader import load_settings
from servicelens.config.settings import Settings
from servicelens.model.finding import Finding
from servicelens.model.report import Report
from servicelens.model.scope import Scope
from servicelens.runner import OverlayError, Progress, review_tree
from servicelens.sources.baseline import BaselineError
from servicelens.sources.git_diff import GitError

__all__ = ["BaselineError", "GitError", "OverlayError", "review", "review_source"]


def review(path: Path | str, settings: Settings | None = None, progress: Progress | None = None,
           overlay: Mapping[str, str] | None = None, *, diff_base: str | None = None,
           baseline: Path | str | None = None) -> Report:
    """Review a file or directory. Never imports, executes or writes into the reviewed tree.

    `overlay` ({path relative to `path`: text}) reviews the tree as if those files held
    that text, without writing anything: an editor buffer, or a fix an agent proposes.

    `diff_base` (a git revision) keeps only the findings on lines changed since the
    merge-base of it and HEAD, or whose evidence passes through one (GitError if that
    cannot be worked out); `baseline` (an earlier JSON report) keeps only findings whose
    fingerprints it does not list (BaselineError if it is not such a report). Either way
    the whole tree is analysed, and `Report.scope` says what the findings were filtered by."""
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"no such file or directory: {root}")
    if settings is None:
        settings = load_settings(root)
    if diff_base is None and baseline is None:
        return review_tree(root, settings, progress, overlay)
    from dataclasses import replace

    from servicelens.analysis.scope import scoped_report

    keep, scope = _scope(root, diff_base, baseline)  # before the review: bad input fails fast
    report = review_tree(root, replace(settings, profile="extended"), progress, overlay)
    return scoped_report(report, keep, scope, settings.profile)


def _scope(root: Path, diff_base: str | None, baseline: Path | str | None) -> tuple[Callable[[Finding], bool], Scope]:
    from servicelens.analysis.scope import introduced_by, not_in
    from servicelens.sources.baseline import baseline_fingerprints
    from servicelens.sources.git_diff import changed_lines

    if diff_base is not None and baseline is not None:
        raise ValueError("--diff and --baseline cannot be combined; choose one")
    if baseline is not None:
        known = baseline_fingerprints(Path(baseline))
        return not_in(known), Scope("baseline", str(baseline), baseline_findings=len(known))
    assert diff_base is not None
    changes, base = changed_lines(root.resolve() if root.is_dir() else root.resolve().parent, diff_base)
    return introduced_by(changes), Scope("diff", diff_base, merge_base=base.merge_base,
                                         changed_files=changes.files)


def review_source(files: dict[str, str], settings: Settings | None = None) -> Report:
    """Review code given as {relative path: text}, e.g. generated code or an editor buffer."""
    with tempfile.TemporaryDirectory(prefix="servicelens-") as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            target = (root / rel).resolve()
            if not target.is_relative_to(root.resolve()):
                raise ValueError(f"path escapes the review root: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return review(root, settings or Settings(use_cache=False))


def explain(concern_id: str) -> str:
    """What `servicelens explain` prints for one concern id: the guidance, examples and how
    precise the concern was measured to be (analysis/profiles.standing)."""
    from servicelens.analysis.profiles import standing
    from servicelens.guidance import load_guidance
    from servicelens.model.concerns import load_taxonomy
    from servicelens.render.explain import render_explain

    return render_explain(load_guidance()[concern_id], load_taxonomy()[concern_id], standing=standing(concern_id))
