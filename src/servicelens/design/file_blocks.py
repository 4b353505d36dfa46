"""Building blocks called for by what happens to the files a system keeps, found from the
sentence that says it and named with the text's own words:

- file_cdn        people open, watch, stream or download the files ("customers open the
                  photo from the tracking page") -> a CDN in front of the object store, with
                  signed URLs when access is restricted;
- file_processing the files are transformed after upload ("recordings are transcoded into 3
                  resolutions", "receipts are OCR'd") -> workers behind a queue do it, off the
                  request path;
- file_scan       documents that reach the system from people ("CVs are PDFs", "each report
                  with 3 attachments", "filings may contain attachments") and that the system
                  does not produce itself -> a malware scan between upload and the first reader.

file_cdn and file_processing need two signals in one sentence: a word for stored files and a
verb of reading or of processing. file_scan needs a document word (not media, which is
re-encoded) whose owner the text never generates, issues, renders or signs. The file vocabulary
is shared with the object-storage block (shape_blocks.py).
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.design.text import sentence_bounds
from servicelens.model.design import Component

FILE_BLOCKS = ("file_cdn", "file_processing", "file_scan")

_READ = re.compile(r"\b(?:watch|watches|watched|watching|stream|streams|streamed|streaming|view|views|viewed|viewing|"
                   r"open|opens|opened|download|downloads|downloaded|play|plays|played|playback|look\s+at|"
                   r"looks\s+at|display|displays|displayed|served|serve|serves)\b", re.I)
# Transformations of a file that take machine time, and how an engineer names the worker that does them.
_PROCESSING = ((r"transcod\w*|re-?encod\w*|encod(?:ed|ing)\s+into", "Transcoding"),
               (r"ocr(?:'d|ed|s)?|text\s+recogni\w*", "OCR"),
               (r"thumbnail\w*", "Thumbnail"),
               (r"resiz\w*|downscal\w*|compress\w*", "Resizing"),
               (r"virus[- ]scan\w*|malware[- ]scan\w*|scanned\s+for\s+(?:viruses|malware)", "Virus-scanning"),
               (r"watermark\w*", "Watermarking"),
               (r"transcrib\w*|transcription", "Transcription"),
               (r"render(?:ed|ing|s)?\s+(?:into|as|to)", "Rendering"),
               (r"convert(?:ed|s)?\s+(?:into|to)", "Conversion"))
_PROCESS = re.compile("|".join(f"(?:{p})" for p, _ in _PROCESSING), re.I)


# Acts that only ever apply to files: "~8M receipts a month scanned with OCR", "uploads are transcoded".
_FILE_ONLY_ACT = re.compile(r"\b(?:ocr(?:'d|ed)?|transcod\w*|thumbnail\w*)\b", re.I)
_PLURAL = re.compile(r"\b(?P<n>[a-z][a-z\-]{2,}s)\b", re.I)
_NOT_FILE_NOUNS = frozenset("days weeks months years hours minutes seconds users customers people companies tenants "
                            "teams employees staff members this those these others".split())


def acted_files(text: str) -> str:
    """The things an act that only applies to files is done to (the nearest plural noun before
    it in its sentence: "receipts ... scanned with OCR" -> "receipts"), or ''."""
    for m in _FILE_ONLY_ACT.finditer(text):
        a, _ = sentence_bounds(text, m.start())
        nouns = [n.group("n").lower() for n in _PLURAL.finditer(text, a, m.start())
                 if n.group("n").lower() not in _NOT_FILE_NOUNS and not n.group("n").lower().endswith("ss")]
        if nouns:
            return nouns[-1]
    return ""


def find_file_blocks(text: str, files: str, file_word: re.Pattern[str]) -> tuple[tuple[str, str], ...]:
    """(block id, argument) for the files (`files`, as the object-storage block names them)
    when a sentence that names them says they are read or processed."""
    out: list[tuple[str, str]] = []
    sentences = _sentences_with(text, file_word) + _sentences_with(text, re.compile(rf"\b{re.escape(files)}\b", re.I))
    if any(_READ.search(s) for s in sentences):
        out.append(("file_cdn", files))
    act = next((label for s in sentences for m in [_PROCESS.search(s)] if m
                for pat, label in _PROCESSING if re.fullmatch(pat, m.group(), re.I)), "")
    if act:
        out.append(("file_processing", f"{act}: {files}"))
    documents = received_documents(text)
    if documents and act != "Virus-scanning":
        out.append(("file_scan", documents))
    return tuple(out)


# Files that carry content a person wrote and another person opens (media are re-encoded instead).
_DOCUMENT = re.compile(r"\b(?:(?P<owner>[a-z][a-z\-]{2,})\s+)?(?P<doc>attachments?|pdfs?|documents?|docx|zips?)\b", re.I)
# Made by the system itself: a generated, issued, rendered or signed document is not received.
_PRODUCED = re.compile(r"\b(?:generat\w*|issu(?:e|es|ed|ing)|render\w*|signed|print\w*|produc\w*)\b", re.I)
_NOT_OWNERS = frozenset("the a an of with and or are is our their its your any up to in as per each every".split())


def received_documents(text: str) -> str:
    """The documents people send in ("attachments", "CVs ... PDFs"), or '' when the text keeps
    none or says the system produces them ("every payslip ... must be generated", "the signed PDF")."""
    for m in _DOCUMENT.finditer(text):
        a, b = sentence_bounds(text, m.start())
        if _PRODUCED.search(text, a, b):
            continue
        # "A payslip PDF ..., up to 1.5 MB with attachments": one produced document makes the
        # sentence's other documents parts of it
        owners = {(d.group("owner") or "").lower() for d in _DOCUMENT.finditer(text, a, b)} - _NOT_OWNERS - {""}
        if any(_produced_elsewhere(text, owner) for owner in owners):
            continue
        return " ".join(m.group("doc").lower().split())
    return ""


def _produced_elsewhere(text: str, owner: str) -> bool:
    """Whether a sentence of the text says the owner of the documents is produced ("payslip"
    with "every payslip for the month must be generated")."""
    stem = owner[:-1] if owner.endswith("s") and not owner.endswith("ss") else owner
    for m in re.finditer(rf"\b{re.escape(stem)}s?\b", text, re.I):
        a, b = sentence_bounds(text, m.start())
        if _PRODUCED.search(text, a, b):
            return True
    return False


def _sentences_with(text: str, word: re.Pattern[str]) -> list[str]:
    """The sentences naming the files, each with the clause a semicolon joins to it ("~6 photos
    (3 MB as uploaded; we generate 3 resized versions)": the second clause says what is done to them)."""
    out, seen = [], set()
    for m in word.finditer(text):
        a, b = sentence_bounds(text, m.start())
        while b < len(text) and text[b] == ";":
            b = max(b + 1, sentence_bounds(text, b + 1)[1])
        if (a, b) not in seen:
            seen.add((a, b))
            out.append(text[a:b])
    return out


def file_block(block_id: str, argument: str) -> Block:
    """The block for a found (or spec-given) pair; `argument` is free text from the user."""
    arg = " ".join(re.sub(r"[^\w .:&'/-]", " ", argument).split())[:60] or "files"
    trigger = f"{block_id.replace('_', ' ')}: {arg}"
    if block_id == "file_cdn":
        return Block(block_id, (Component(f"CDN for {arg}", f"serves the {arg} people open from edge caches, the object "
                                          "store as origin; time-limited signed URLs issued by the API after its access "
                                          "check when the files are not public", "CDN + signed URLs"),),
                     "files read by people are served from the edge: the API and database never carry the bytes, and a "
                     "burst of readers hits cached copies", trigger)
    if block_id == "file_processing":
        act, _, files = arg.partition(": ")
        files = files or "files"
        return Block(block_id, (Component(f"{act} workers behind a queue", f"each uploaded {files} is queued for "
                                          f"{act.lower()} and acknowledged only after the result is stored; the original "
                                          "is kept, results are published when ready and a failed job is retried",
                                          "durable queue + autoscaled worker pool"),),
                     "processing a file takes seconds to minutes of machine time: it runs from a queue on workers, never "
                     "inside the upload request", trigger)
    if block_id == "file_scan":
        return Block(block_id, (Component(f"Malware scanning of uploaded {arg}", f"each uploaded {arg[:-1] if arg.endswith('s') else arg} "
                                          "is scanned before anyone opens it: it stays in a quarantine bucket until the scan "
                                          "passes, infected files are kept aside and the uploader is told",
                                          "scanner workers behind a queue (ClamAV or a cloud scanning service)"),),
                     "documents from outside the organisation are opened by its staff: a file that was never scanned "
                     "carries malware straight to them", trigger)
    raise ValueError(f"unknown block {block_id!r}; known: {', '.join(FILE_BLOCKS)}")
