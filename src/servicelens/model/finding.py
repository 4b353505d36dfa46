"""Findings: one proven problem at one place, with its evidence and its fix."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Higher is worse; used for sorting and `--fail-on`."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


class Confidence(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]


class Category(str, Enum):
    SECURITY = "security"
    PERFORMANCE = "performance"
    SCALABILITY = "scalability"
    RELIABILITY = "reliability"
    MAINTAINABILITY = "maintainability"
    OPERATIONS = "operations"
    API_DESIGN = "api-design"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A span in a file; `path` is relative to the review root, with forward slashes."""

    path: str
    start_line: int
    end_line: int = 0
    start_col: int = 0
    end_col: int = 0

    def __post_init__(self) -> None:
        if self.end_line < self.start_line:
            object.__setattr__(self, "end_line", self.start_line)


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of the evidence: what happens at this place, and the code there."""

    location: Location
    description: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class Fix:
    """How to fix it: a short explanation and example code in the file's own framework."""

    description: str
    code: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class Construction:
    """The one place several findings share their fix: the client object their calls go through,
    made once (`self.session = requests.Session()` in `__init__`). The report keeps one finding per
    call (labels, fingerprints, baselines and suppressions match per site); a reader gets one
    recommendation at the construction that lists the calls (render.common.finding_groups)."""

    location: Location
    code: str  # the statement that makes it, as written
    name: str  # what the calls name it: `self.session`
    title: str  # the recommendation at the construction
    fix: Fix | None = None


# Finding.cost_at: where a claim's cost falls when that is not wherever its line runs
USES = "uses"  # an object built here and used elsewhere (a client built at start-up costs every request using it)
REQUEST_ONLY = "request-only"  # worth a comment only where a request path is shown to run this line
# work whose cost is what callers can make the service repeat (password hashing, tens to hundreds of ms of
# CPU each): sure to matter only where an anonymous caller reaches it (a login, a sign-up, a key checked on
# every request), since an attacker repeats it at will; where every caller is signed in (changing one's own
# password, one hash per newly provisioned account) or nobody can tell, it is graded down (analysis/profiles.py)
ANONYMOUS_CALLERS = "anonymous-callers"


@dataclass(frozen=True, slots=True)
class Finding:
    concern: str
    category: Category
    cwe: tuple[int, ...]
    severity: Severity
    confidence: Confidence
    location: Location
    title: str
    why: str
    evidence: tuple[TraceStep, ...] = ()
    fix: Fix | None = None
    rule: str = ""
    snippet: str = ""
    # rule-relevant values that identify this finding independent of its line
    key: str = ""
    # where the code runs (analysis/reach.py): "request", "command", "task", "script", "development"
    # (a development or test file, infra/development.py) or "" (unknown)
    reach: str = ""
    # why the default profile leaves it out ("" = reported by default); `--profile extended` shows it
    held_back: str = ""
    held_back_by: str = ""  # "precision" (its rule's measured precision) | "reach" | "callers" | ""
    # on a request path (analysis/reach.py): its least privileged caller, "anyone", "signed-in" or
    # "privileged" (staff, administrators, a holder of the operator's secret); "" when unknown
    callers: str = ""
    cost_at: str = ""  # "" (wherever this line runs), USES, REQUEST_ONLY or ANONYMOUS_CALLERS
    group: Construction | None = None  # the client object whose construction holds the fix
    fingerprint: str = field(default="", compare=False)

    def sort_key(self) -> tuple[object, ...]:
        """Most severe first; at equal severity, what a request can reach before the rest."""
        return (-self.severity.rank, self.reach != "request", -self.confidence.rank, self.location.path,
                self.location.start_line, self.concern, self.title)

    def with_fingerprint(self, index: int = 0) -> Finding:
        """Line-independent identity: concern, path, the code matched and the key."""
        normalized = " ".join(self.snippet.split())
        raw = "\0".join((self.concern, self.location.path, normalized, self.key, str(index)))
        digest = hashlib.sha256(raw.encode()).hexdigest()[:20]
        return _replace(self, fingerprint=digest)


def _replace(finding: Finding, **changes: object) -> Finding:
    from dataclasses import replace

    return replace(finding, **changes)  # type: ignore[arg-type]
