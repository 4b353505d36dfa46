"""What happens to an uploaded file after it lands, and the workers that work needs.

Uploads go from the client straight to object storage (pre-signed, multipart for large files):
no API instance touches the bytes. What follows depends on what the file is, not on its size
alone:

    transcode    video and audio are re-encoded: CPU grows with the bytes
                 (~0.5 vCPU-s per MB of source)
    thumbnails   photos and images get a few resized renditions: CPU per image, about the same
                 for a 2 MB or a 20 MB photo (decode + resize, ~0.3 vCPU-s)
    store        any other file (documents, archives, disk images, backups, datasets) is kept as
                 sent: one streamed pass for the checksum and malware scan, bound by network and
                 disk (~200 MB/s per instance), not by CPU

Sizing a 2 GB disk image as video (0.5 vCPU-s per MB) asks for 250 vCPU-s per upload and
thousands of instances for a few uploads a second; streamed once at 200 MB/s it is 10 s of one
instance's I/O.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass


TRANSCODE_VCPU_S_PER_MB = 0.5
THUMBNAIL_VCPU_S_PER_IMAGE = 0.3
STREAM_MB_PER_S = 200.0  # one instance streaming an object through a checksum and scan
INSTANCE_VCPU = 4

_AV = re.compile(r"\b(?:videos?|video-?clips?|clips?|movies?|films?|audio|podcasts?|episodes?|recordings?|songs?|"
                 r"music|voice\s+notes?|mp3s?|mp4s?|wav|livestreams?|vods?|transcod\w*)\b", re.I)
_IMAGES = re.compile(r"\b(?:photos?|images?|pictures?|pics?|avatars?|selfies?|screenshots?|jpe?gs?|pngs?|thumbnails?|"
                     r"imagery)\b", re.I)
# "disk images", "container images", "VM images": files named image that are not pictures
_NOT_PICTURES = re.compile(r"\b(?:disk|vm|virtual[- ]machine|container|docker|iso|os|system|firmware|machine|boot)\s+images?\b",
                           re.I)


@dataclass(frozen=True, slots=True)
class UploadWork:
    """Workers for the uploads' after-work: their count, their name and the formula."""

    instances: int
    name: str
    formula: str


# what is uploaded is the object of the verb ("engineers upload VM disk images of about 2 GB"): it
# names the files, where the rest of the sentence may use the same words otherwise ("our image
# registry"); "videos are uploaded" names them before the verb
_UPLOADED = re.compile(r"\b(?:upload(?:s|ed|ing)?|attach(?:es|ed|ing)?|push(?:es|ed)?|submit(?:s|ted)?)\b", re.I)
_CLAUSE_END = re.compile(r"[.;:()!?]\s|[;:()!?]|\n")
_AROUND = 40  # characters either side of the verb: its object and what is said before it


def media_work(text: str) -> str:
    """transcode | thumbnails | store, from what the text says the uploaded files are: the words
    around each upload verb (its object, and the few words before it) when there are any, else
    the whole text."""
    parts = []
    for m in _UPLOADED.finditer(text):
        before = _CLAUSE_END.split(text[max(0, m.start() - _AROUND):m.start()])[-1]
        after = _CLAUSE_END.split(text[m.end():m.end() + _AROUND])[0]
        parts.append(f"{before} {after}")
    said = " ".join(parts) or text
    if _AV.search(said):
        return "transcode"
    if _IMAGES.search(_NOT_PICTURES.sub(" ", said)):
        return "thumbnails"
    return "store"



def upload_workers(work: str, peak_uploads: float, object_bytes: float, fmt) -> UploadWork:
    """Workers for `peak_uploads`/s objects of `object_bytes` each; `fmt` formats a number."""
    mb = object_bytes / 1e6
    if work == "transcode":
        count = max(2, math.ceil(peak_uploads * mb * TRANSCODE_VCPU_S_PER_MB / INSTANCE_VCPU))
        return UploadWork(count, "transcoding worker instances", f"ceil({fmt(peak_uploads)} uploads/s x {fmt(mb)} MB x "
                          f"{TRANSCODE_VCPU_S_PER_MB:g} vCPU-s per MB / {INSTANCE_VCPU} vCPU) = {count}")
    if work == "thumbnails":
        count = max(2, math.ceil(peak_uploads * THUMBNAIL_VCPU_S_PER_IMAGE / INSTANCE_VCPU))
        return UploadWork(count, "thumbnail worker instances", f"ceil({fmt(peak_uploads)} images/s x "
                          f"{THUMBNAIL_VCPU_S_PER_IMAGE:g} vCPU-s per image (decode + resize, whatever its size) / "
                          f"{INSTANCE_VCPU} vCPU) = {count}")
    count = max(2, math.ceil(peak_uploads * mb / STREAM_MB_PER_S))
    return UploadWork(count, "upload verification worker instances (checksum + malware scan, streamed)",
                      f"ceil({fmt(peak_uploads)} uploads/s x {fmt(mb)} MB / {STREAM_MB_PER_S:g} MB/s streamed per instance) "
                      f"= {count}; the bytes go from the client to object storage (pre-signed multipart), never through "
                      f"the API, and nothing re-encodes them")
