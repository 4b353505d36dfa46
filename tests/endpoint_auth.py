"""Shared by endpoint tests: write a small project and read each endpoint's auth status."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import Mapping

from servicelens.api import review
from servicelens.config.settings import Settings


def endpoint_auth(tmp_path: Path, files: Mapping[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(method, path) -> (auth status, its evidence) for the project `files` (relative path -> text)."""
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}
