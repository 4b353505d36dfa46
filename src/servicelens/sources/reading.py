"""Read a discovered file as text, turning every way it can go wrong into a Diagnostic."""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import PurePosixPath

from servicelens.analysis.base import SourceFile
from servicelens.model.report import Diagnostic
from servicelens.sources.discovery import DiscoveredFile, too_large_message
from servicelens.sources.languages import sniff_document
from servicelens.sources.safe_read import RefusedFile, read_capped

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_SURROGATE = re.compile("[\ud800-\udfff]")
# text codecs that turn escape sequences into arbitrary code points, lone surrogates included
_ESCAPE_CODECS = frozenset({"unicode_escape", "raw_unicode_escape"})


def read_source(found: DiscoveredFile) -> tuple[SourceFile | None, Diagnostic | None]:
    try:
        read = read_capped(found.path, found.cap)
    except RefusedFile as exc:
        return None, Diagnostic(found.rel, exc.kind, exc.reason)
    if read.over_cap:  # it grew after discovery measured it
        return None, Diagnostic(found.rel, "too-large", too_large_message(found.cap + 1, found.cap))
    return source_from_bytes(found.rel, found.kind, read.data)


def source_from_bytes(rel: str, kind: str, data: bytes) -> tuple[SourceFile | None, Diagnostic | None]:
    """The content of a file, however it was obtained (read from disk, or an in-memory
    overlay standing in for it), held to the same checks as a file read from the tree."""
    if not data.strip():
        if PurePosixPath(rel).name == "__init__.py" or kind in ("sniff", "manifest"):
            return None, None
        return None, Diagnostic(rel, "empty", "empty file; nothing to review")
    if b"\0" in data[:8192]:
        return None, Diagnostic(rel, "binary", "binary content where source was expected; skipped")
    text, diagnostic = decode_source(rel, data)
    if kind == "sniff":
        # unclassified YAML/JSON is kept as "data": contracts $ref into such files
        kind = sniff_document(text, PurePosixPath(rel).suffix.lower()) or "data"
    return SourceFile(rel, kind, text, hashlib.sha256(data).hexdigest()), diagnostic


def decode_source(rel: str, data: bytes) -> tuple[str, Diagnostic | None]:
    """UTF-8, else a declared real text encoding; the result never holds a lone surrogate."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    declared = _text_codec(_declared_encoding(data))
    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError, ValueError):
            pass
        else:
            surrogate = _SURROGATE.search(text)
            if surrogate is None:
                return text, None
            line = text.count("\n", 0, surrogate.start()) + 1
            return _SURROGATE.sub("\ufffd", text), Diagnostic(
                rel, "not-utf8", f"decoded as {declared}, it holds unpaired surrogates (first on line {line}); "
                                 "reviewed with them replaced", line)
    return data.decode("utf-8", errors="replace"), Diagnostic(
        rel, "not-utf8",
        f"not valid UTF-8 (first bad byte on line {first_bad_line}); reviewed with undecodable bytes replaced",
        first_bad_line)


def _text_codec(name: str | None) -> str | None:
    """The codec's canonical name when it is a real text encoding, else None."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _ESCAPE_CODECS:
        return None
    return info.name


def _declared_encoding(data: bytes) -> str | None:
    """PEP 263: a coding cookie on the first or second line."""
    for line in data.splitlines()[:2]:
        match = _CODING.match(line)
        if match:
            return match.group(1).decode("ascii", "replace")
    return None
