"""Objects a written record carries ("submit expenses with receipt photos", "attach a PDF",
"receipts scanned with OCR"), found from how the text attaches them, when no size is stated
and the lead domain stores no media of its own.

An engineer sizes the object store for those even without a stated size: the bytes of a
photo or a scan dwarf the row that points to them. A permitted attachment ("forms can
include files") is carried by a minority of writes, a stated one ("with photos") by each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ATTACHED_OBJECT_BYTES = 1_000_000  # a compressed phone photo or a one-page scan, ~0.5-2 MB
# Media words that name something else as often as an object (web pages, "the media").
_AMBIGUOUS = frozenset({"page", "pages", "media", "blob", "blobs", "clip", "clips", "upload", "uploads"})
_CARRY = r"(?:with|plus|including|includes?|attach(?:es|ed|ing)?|upload(?:s|ed|ing)?|scan(?:s|ned)?|photograph(?:s|ed)?)"
# Text recognition reads images: what it reads was scanned or photographed.
_READS_IMAGES = re.compile(r"\b(?:OCR|optical\s+character\s+recognition)\b", re.I)
_OPTIONAL = re.compile(r"\b(?:can|could|may|might|optional(?:ly)?|sometimes|occasionally|allowed\s+to|if\s+any)\b", re.I)


@dataclass(frozen=True, slots=True)
class Attached:
    """An object records carry: the words it came from, whether only some writes carry it."""

    phrase: str
    optional: bool


def attached_objects(text: str, media_words: list[str]) -> Attached | None:
    words = sorted({w for w in media_words if w not in _AMBIGUOUS}, key=len, reverse=True)
    if not words:
        return None
    media = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"\b{_CARRY}\s+(?:(?:a|an|the|their|its|one|some|optional|[a-z\-]+)\s+){{0,2}}?(?:{media})\b", re.I)
    for m in pattern.finditer(text):
        start = max(text.rfind(".", 0, m.start()), text.rfind(";", 0, m.start())) + 1
        clause = text[start:m.end()]
        return Attached(" ".join(clause.split()), is_optional(clause))
    m = _READS_IMAGES.search(text)
    if m:
        start = max(text.rfind(".", 0, m.start()), text.rfind(";", 0, m.start()), text.rfind(",", 0, m.start())) + 1
        return Attached(" ".join(text[start:m.end()].split()), False)
    return None


def is_optional(phrase: str) -> bool:
    """Whether a phrase permits an object rather than stating that each write has one."""
    return bool(_OPTIONAL.search(phrase))
