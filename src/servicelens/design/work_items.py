"""Work that takes seconds per item: "about 4 s of CPU per invoice", "each submission is run
in a sandbox limited to 2 s of CPU and 256 MB of memory", "a render takes ~3 minutes to
encode".

Work measured in seconds per item does not belong on the request path: it runs from a
queue on a pool of workers, and the pool is sized by Little's law (items in progress =
arrival rate x time per item). Found from the sentence's shape (a duration of machine
time, or a duration something takes to be processed), never from the kind of system.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from servicelens.design.characteristics import Block
from servicelens.design.identifiers import entity_names, snake_identifier
from servicelens.design.measures import SIZE_UNITS, unit_seconds
from servicelens.design.text import sentence_bounds
from servicelens.model.design import Component

_DURATION = r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?)\b"
_MACHINE = r"(?:cpu|gpu|compute|processing|worker)(?:[- ]time)?"
_ACT = (r"(?:process|render|transcode|compile|run|convert|extract|analy[sz]e|score|classify|encode|generate|build|"
        r"scan|resize|train|index|ocr)\w*")
_WORK = re.compile(
    rf"{_DURATION}\s+of\s+{_MACHINE}\b(?:\s+(?:per|for\s+(?:each|every|one|a|an)|each|a)\s+(?P<thing>[a-z][a-z\-]{{2,}}))?"
    rf"|\b(?:takes|take|needs|need|uses|use|costs|cost|requires|require)\s+(?:about|around|roughly|~|up\s+to|under)?\s*"
    rf"~?{_DURATION.replace('?P<n>', '?P<n2>').replace('?P<u>', '?P<u2>')}\s+(?:of\s+{_MACHINE}\b|to\s+{_ACT})", re.I)
_EACH = re.compile(r"\b(?:each|every|per|one|a|an)\s+(?P<thing>[a-z][a-z\-]{2,})\b", re.I)
_MEMORY = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>kb|mb|gb|kib|mib|gib)\s+(?:of\s+)?(?:memory|ram)\b", re.I)
_NOT_THINGS = {"second", "minute", "hour", "day", "time", "sandbox", "worker", "machine", "core", "cpu", "model", "run",
               "few", "lot", "bit", "single", "current", "new", "the"}
# A worker instance: 4 vCPU, run at 60% like the API tier (stacks.yaml sizing).
_VCPU_PER_WORKER = 4
_UTILISATION = 0.6


@dataclass(frozen=True, slots=True)
class WorkItem:
    """Per-item work the text states."""

    thing: str  # what is processed, singular ("invoice"); "" when the text does not say
    seconds: float  # time per item
    cpu: bool  # machine time (sizes vCPUs as well as concurrency)
    memory_bytes: float  # memory per item in progress; 0 when not stated
    phrase: str


def find_work(text: str) -> WorkItem | None:
    """The first per-item work statement of the text, or None."""
    m = _WORK.search(text)
    if not m:
        return None
    num, unit = (m.group("n"), m.group("u")) if m.group("n") else (m.group("n2"), m.group("u2"))
    seconds = float(num) * (1e-3 if unit.lower().startswith("m") and unit.lower() in ("ms", "millisecond", "milliseconds")
                            else unit_seconds(unit))
    s0, s1 = sentence_bounds(text, m.start())
    thing = (m.group("thing") or "").lower()
    if not thing or thing in _NOT_THINGS:
        thing = next((e.group("thing").lower() for e in _EACH.finditer(text, s0, s1)
                      if e.group("thing").lower() not in _NOT_THINGS), "")
    mem = _MEMORY.search(text, s0, s1)
    memory = float(mem.group("n")) * SIZE_UNITS[mem.group("u").lower()] if mem else 0.0
    cpu = bool(re.search(_MACHINE, m.group(0), re.I))
    singular = thing[:-1] if thing.endswith("s") and not thing.endswith("ss") else thing
    return WorkItem(singular, seconds, cpu, memory, " ".join(text[s0:s1].split()))


def worker_block(argument: str) -> Block:
    """A queue and a worker pool for the items the text says take seconds each."""
    thing = " ".join(re.sub(r"[^\w ]", " ", argument).split())[:40] or "job"
    _, things = entity_names(snake_identifier(thing))
    plural = things.replace("_", " ")
    return Block("worker_pool", (
        Component(f"Job queue for {plural}", f"each {thing} is enqueued when it arrives and acknowledged only after its "
                  "result is stored, so a crashed worker's job is retried, not lost", "durable queue (SQS / RabbitMQ / "
                  "a jobs table with SKIP LOCKED)"),
        Component(f"Worker pool processing {plural}", f"workers take {plural} from the queue, one at a time each, sized by "
                  "Little's law (arrival rate x seconds per item) and scaled on queue depth", "autoscaled workers")),
        "work that takes seconds per item runs from a queue on a worker pool: the request returns at once and the result "
        "is fetched or pushed when ready", f"worker pool: {thing}",
        ((f"get_{snake_identifier(thing)}_result"[:40], "GET", f"/v1/{things}/{{id}}/result"[:44],
          f"Get the result (status) of a {thing}"),))


def worker_lines(item: WorkItem, peak_rate: float, avg_rate: float, label: str) -> list[tuple[str, float, str, str]]:
    """(name, value, unit, formula) capacity lines for the worker pool, from the rate of the
    items it processes."""
    busy = peak_rate * item.seconds
    lines = [(f"{label} in progress (peak, Little's law)", busy, "count",
              f"{peak_rate:.4g} /s x {item.seconds:g} s per item = {busy:.4g}"),
             (f"{label} in progress (average)", avg_rate * item.seconds, "count",
              f"{avg_rate:.4g} /s x {item.seconds:g} s per item = {avg_rate * item.seconds:.4g}")]
    if item.cpu:
        workers = max(2, math.ceil(busy / (_VCPU_PER_WORKER * _UTILISATION)))
        lines.append((f"worker vCPU for {label} (peak)", busy, "vCPU", f"{busy:.4g} items in progress x 1 vCPU each"))
        lines.append((f"worker vCPU for {label} (average)", avg_rate * item.seconds, "vCPU",
                      f"{avg_rate:.4g} /s x {item.seconds:g} s of CPU"))
        lines.append((f"worker instances for {label}", workers, "instances",
                      f"max(2, ceil({busy:.4g} vCPU / ({_VCPU_PER_WORKER} vCPU x {_UTILISATION})))"))
    if item.memory_bytes:
        lines.append((f"worker memory for {label} (peak)", busy * item.memory_bytes / 1e9, "GB",
                      f"{busy:.4g} in progress x {item.memory_bytes / 1e6:g} MB"))
    return lines
