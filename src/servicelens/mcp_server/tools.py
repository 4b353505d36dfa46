"""The tools' work, one method per tool, free of MCP types so it reads (and tests) as plain
Python. Every anticipated failure is a `ToolInputError` with a message an agent can act
on; server.py turns it into an MCP error result.

All reading goes through servicelens.api and the tool's safe readers; nothing here writes
to the reviewed tree (a `check` edit lives only in memory, as an overlay).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from servicelens.api import GitError, OverlayError, review
from servicelens.config.loader import ConfigError, load_settings, validate_concerns
from servicelens.config.settings import Settings
from servicelens.mcp_server.paths import PathPolicy, PathRefused
from servicelens.mcp_server.payloads import Json, compare, finding_detail, review_page
from servicelens.mcp_server.recent import Entry, Options, RecentReports
from servicelens.taint.models import ModelError

DEFAULT_PAGE_SIZE = 25
_LINE_PREFIX = re.compile(r"^line \d+: ")


class ToolInputError(ValueError):
    """A call the tool cannot answer as asked; the message says why and what to do."""


class Tools:
    def __init__(self, policy: PathPolicy) -> None:
        self.policy = policy
        self.recent = RecentReports()

    # -- review ---------------------------------------------------------------------------

    def review(self, path: str, diff_base: str | None = None, select: list[str] | None = None,
               profile: str | None = None, cursor: str | None = None,
               page_size: int = DEFAULT_PAGE_SIZE) -> Json:
        target = self._resolve(path)
        options = replace(self._options(select, profile), diff_base=diff_base or None)
        if cursor is None:
            entry = self._review(target, options)
            return review_page(entry.report, 0, page_size, entry.token, first=True)
        offset, token = _parse_cursor(cursor)
        entry = self.recent.get(target, options)
        if entry is None or entry.token != token:
            entry = self._review(target, options)  # evicted, or the server restarted
        if entry.token != token:
            raise ToolInputError("the findings changed since this cursor was issued (the tree was edited); "
                                 "call review again without cursor")
        if offset > len(entry.report.findings):
            raise ToolInputError(f"cursor offset {offset} is past the {len(entry.report.findings)} findings")
        return review_page(entry.report, offset, page_size, entry.token, first=False)

    # -- finding --------------------------------------------------------------------------

    def finding(self, id: str, path: str | None = None) -> Json:
        target = self._resolve(path) if path else None
        found = self.recent.find(id.strip(), target)
        if found is None:
            where = f" of {path}" if path else ""
            raise ToolInputError(f"no finding with id {id!r} in the recent reviews{where}; call review "
                                 "(or check) first and use an `id` from its findings")
        entry, finding = found
        return finding_detail(finding, entry.base, entry.overlay)

    # -- explain --------------------------------------------------------------------------

    def explain(self, concern: str) -> str:
        from servicelens.api import explain as explain_text

        try:
            ids = validate_concerns([concern], "explain")
        except ConfigError as exc:
            raise ToolInputError(str(exc)) from None
        if len(ids) != 1:
            raise ToolInputError(f"{concern!r} is a category of {len(ids)} concerns; explain takes one "
                                 f"concern id, e.g. {min(ids)!r}")
        (concern_id,) = ids
        return explain_text(concern_id)

    # -- design ---------------------------------------------------------------------------

    def design(self, requirement: str | None = None, spec: str | dict[str, Any] | None = None,
               stack: str | None = None) -> Json:
        import yaml

        from servicelens.design import DesignInputError, SpecError, design_from_spec, design_from_text, detect_stack
        from servicelens.render.design_common import proposal_dict

        if (requirement is None) == (spec is None):
            raise ToolInputError("give exactly one of `requirement` (prose) or `spec` (a structured spec: "
                                 "an object, or its YAML text; fields in docs/design-spec.md)")
        chosen = stack or detect_stack(self.policy.cwd) or None
        try:
            if requirement is not None:
                proposal = design_from_text(requirement, chosen or "fastapi")
            else:
                text = spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False)
                proposal = design_from_spec(text, stack)
        except SpecError as exc:
            message = str(exc) if isinstance(spec, str) else _LINE_PREFIX.sub("", str(exc))  # lines of YAML we wrote
            raise ToolInputError(f"spec: {message}") from None
        except DesignInputError as exc:
            questions = "".join(f"\n- {q}" for q in exc.questions)
            raise ToolInputError(f"{exc}{' Answer these:' if questions else ''}{questions}") from None
        return proposal_dict(proposal)

    # -- check ----------------------------------------------------------------------------

    def check(self, path: str, file: str, new_content: str, select: list[str] | None = None,
              profile: str | None = None) -> Json:
        tree = self._resolve(path)
        try:
            rel = self.policy.member(tree, file)
        except PathRefused as exc:
            raise ToolInputError(str(exc)) from None
        options = self._options(select, profile)
        settings = self._settings(tree, options)
        if len(new_content.encode("utf-8", "surrogatepass")) > settings.max_file_bytes:
            raise ToolInputError(f"new_content is over the {settings.max_file_bytes:,}-byte file limit "
                                 "(max-file-bytes); such a file is not reviewed")
        before = self._review(tree, options)
        overlay = {rel: new_content}
        try:
            after = Entry(tree, options, self._run(tree, settings, overlay), overlay)
        except OverlayError as exc:
            raise ToolInputError(str(exc)) from None
        self.recent.put(after)  # so `finding` can show an introduced finding with its (new) code
        out = compare(before.report, after.report, rel)
        out["path"] = str(tree)
        return out

    # -- shared ---------------------------------------------------------------------------

    def _resolve(self, path: str) -> Path:
        try:
            return self.policy.resolve(path)
        except PathRefused as exc:
            raise ToolInputError(str(exc)) from None

    @staticmethod
    def _options(select: list[str] | None, profile: str | None) -> Options:
        if select is not None:
            try:
                chosen = validate_concerns([s for item in select for s in item.split(",") if s.strip()], "select")
            except ConfigError as exc:
                raise ToolInputError(str(exc)) from None
            if not chosen:
                raise ToolInputError("select is empty; leave it out to review every concern")
            return Options(tuple(sorted(chosen)), profile)
        return Options(None, profile)

    @staticmethod
    def _settings(target: Path, options: Options) -> Settings:
        try:
            return load_settings(target, select=frozenset(options.select) if options.select else None,
                                 profile=options.profile)
        except ConfigError as exc:
            raise ToolInputError(f"configuration: {exc}") from None

    def _review(self, target: Path, options: Options) -> Entry:
        entry = Entry(target, options, self._run(target, self._settings(target, options), None, options.diff_base))
        self.recent.put(entry)
        return entry

    @staticmethod
    def _run(target: Path, settings: Settings, overlay: dict[str, str] | None, diff_base: str | None = None):
        try:
            return review(target, settings, overlay=overlay, diff_base=diff_base)
        except ModelError as exc:
            raise ToolInputError(f"models: {exc}") from None
        except GitError as exc:
            raise ToolInputError(str(exc).replace("--diff:", "diff_base:", 1)) from None


def _parse_cursor(cursor: str) -> tuple[int, str]:
    offset, _, token = cursor.partition(":")
    if not offset.isdigit() or not token:
        raise ToolInputError(f"cursor {cursor!r} is not one this server issued; use `next_cursor` from a "
                             "review result, or leave cursor out for the first page")
    return int(offset), token
