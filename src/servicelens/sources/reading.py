"""Read a discovered file as text, turning every way it can go wrong into a Diagnostic."""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import PurePosixPath

from servicelens.analysis.base import SourceFile
from servicelens.model.report import Diagnostic
from servicelens.sources.discovery import DiscoveredFile, too_large_message
from servicelens.sources.languages import CODE_EXTENSIONS, sniff_document
from servicelens.sources.safe_read import RefusedFile, read_capped

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_SURROGATE = re.compile("[\ud800-\udfff]")
# text codecs that turn escape sequences into arbitrary code points, lone surrogates included
_ESCAPE_CODECS = frozenset({"unicode_escape", "raw_unicode_escape"})
# git and ripgrep call a file binary for a NUL in its first 8 KB; so do we, except for source
_BINARY_SNIFF_BYTES = 8192
_SOURCE_KINDS = frozenset(CODE_EXTENSIONS.values())
# a stray NUL (ID3 padding pasted into a comment) is rare; UTF-16 text is half NULs. Shares
# are taken of at least 1 KB, so a short module may hold a few.
_STRAY_NUL_SHARE = 0.01
_SHARE_FLOOR_BYTES = 1024
# control bytes that text never holds raw (tab, newlines, form feed and ESC excepted)
_BINARY_CONTROLS = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")


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
        if PurePosixPath(rel).name == "__init__.py":
            # nothing to review, but it makes its directory a package, which shadows a module of the
            # same name beside it (analysis/import_time.py): kept, empty
            return SourceFile(rel, kind, "", hashlib.sha256(data).hexdigest()), None
        if kind in ("sniff", "manifest"):
            return None, None
        return None, Diagnostic(rel, "empty", "empty file; nothing to review")
    if b"\0" in data[:_BINARY_SNIFF_BYTES]:
        if not stray_nuls_in_source(kind, data):
            return None, Diagnostic(rel, "binary", "binary content where source was expected; skipped")
        return SourceFile(rel, kind, data.decode("utf-8-sig").replace("\0", " "),
                          hashlib.sha256(data).hexdigest()), _nul_note(rel, data)
    text, diagnostic = decode_source(rel, data)
    if kind == "sniff":
        # unclassified YAML/JSON is kept as "data": contracts $ref into such files
        kind = sniff_document(text, PurePosixPath(rel).suffix.lower()) or "data"
    return SourceFile(rel, kind, text, hashlib.sha256(data).hexdigest()), diagnostic


def stray_nuls_in_source(kind: str, data: bytes) -> bool:
    """A source file (by its extension) that is valid UTF-8 with a few NUL bytes is text with
    a stray NUL, not binary: the NUL sniff alone would drop a whole module for one byte."""
    if kind not in _SOURCE_KINDS or _BINARY_CONTROLS.search(data) is not None:
        return False
    if data.count(b"\0") > max(len(data), _SHARE_FLOOR_BYTES) * _STRAY_NUL_SHARE:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _nul_note(rel: str, data: bytes) -> Diagnostic:
    """Say that the file was read despite its NULs, and how: parsers stop at a NUL, so each is
    read as a space (one byte for one: every line and column stays where it was)."""
    line = data[: data.index(b"\0")].count(b"\n") + 1
    count = data.count(b"\0")
    return Diagnostic(rel, "nul-bytes", f"{count} NUL byte{'s' if count > 1 else ''} in UTF-8 source (first on line "
                                        f"{line}); reviewed as text, each NUL read as a space", line)


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
