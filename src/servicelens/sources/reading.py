"""Read a discovered file as text, turning every way it can go wrong into a Diagnostic."""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from servicelens.analysis.base import SourceFile
from servicelens.model.report import Diagnostic
from servicelens.sources.discovery import DiscoveredFile
from servicelens.sources.languages import sniff_document

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def read_source(found: DiscoveredFile) -> tuple[SourceFile | None, Diagnostic | None]:
    try:
        data = found.path.read_bytes()
    except OSError as exc:
        return None, Diagnostic(found.rel, "unreadable", f"cannot be read: {exc.strerror or exc}")
    if not data.strip():
        if PurePosixPath(found.rel).name == "__init__.py" or found.kind in ("sniff", "manifest"):
            return None, None
        return None, Diagnostic(found.rel, "empty", "empty file; nothing to review")
    if b"\0" in data[:8192]:
        return None, Diagnostic(found.rel, "binary", "binary content where source was expected; skipped")
    text, diagnostic = _decode(found, data)
    kind = found.kind
    if kind == "sniff":
        # unclassified YAML/JSON is kept as "data": contracts $ref into such files
        kind = sniff_document(text, PurePosixPath(found.rel).suffix.lower()) or "data"
    return SourceFile(found.rel, kind, text, hashlib.sha256(data).hexdigest()), diagnostic


def _decode(found: DiscoveredFile, data: bytes) -> tuple[str, Diagnostic | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        declared = _declared_encoding(data)
        if declared:
            try:
                return data.decode(declared), None
            except (UnicodeDecodeError, LookupError):
                pass
        line = data[: exc.start].count(b"\n") + 1
        return data.decode("utf-8", errors="replace"), Diagnostic(
            found.rel, "not-utf8",
            f"not valid UTF-8 (first bad byte on line {line}); reviewed with undecodable bytes replaced", line)


def _declared_encoding(data: bytes) -> str | None:
    """PEP 263: a coding cookie on the first or second line."""
    for line in data.splitlines()[:2]:
        match = _CODING.match(line)
        if match:
            return match.group(1).decode("ascii", "replace")
    return None
