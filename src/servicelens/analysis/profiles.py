"""The default profile: what a principal engineer would comment on. Everything else is
held back, with its reason, for `--profile extended` (data/profile.yaml is the policy).

Two mechanisms, neither keyed on a repository: a concern whose findings were measured
below the precision threshold on the triage corpus is held back until its rule is fixed,
where it runs (request path, job, command, unknown) when that was measured, else as a
whole (data/precision.yaml, written by the triage corpus script); a concern
that only costs something on a served request is held back where the code runs only
offline (analysis/reach.py), and code run by hand as a script keeps only its security
findings."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping, Sequence

from servicelens.analysis.caller_privilege import ANYONE, PRIVILEGED, SIGNED_IN
from servicelens.analysis.gate_estimate import Measured, Priors, Strengths, estimate, parse_key, priors_from
from servicelens.analysis.import_time import DEAD
from servicelens.analysis.reach import REQUEST, Reach, ReachIndex
from servicelens.analysis.startup_hooks import STARTUP
from servicelens.analysis.unreachable import UNREACHABLE
from servicelens.analysis.service_clients import CLIENT
from servicelens.analysis.unreferenced import UNREFERENCED
from servicelens.sources.languages import measured_family
from servicelens.config.settings import Settings
from servicelens.model.finding import ANONYMOUS_CALLERS, REQUEST_ONLY, USES, Confidence, Finding
from servicelens.packaged_yaml import packaged_yaml

PROFILES = ("default", "extended")
# why a finding is held back (Finding.held_back_by): its rule's measured precision, where its
# code runs, or who may call that code
PRECISION, REACH, CALLERS = "precision", "reach", "callers"
# evidence steps that mark a finding development-only: a file only developers run
# (infra/development.py), a branch only a diagnostic switch turns on (rules/python/_diagnostic_switch.py),
# a method of a test double kept beside the real code (rules/python/_stand_ins.py)
_DEVELOPMENT_MARKS = ("development-only file: ", "development-only switch: ", "development-only stand-in: ")
# reach of a file that only runs on a developer's machine or in CI (infra/development.py)
DEVELOPMENT = "development"


@dataclass(frozen=True, slots=True)
class ProfilePolicy:
    threshold: float
    prior_strength: float  # observations at the level above's estimate added to each level, unless `strengths`
    request_path_only: frozenset[str]
    script_held_back_categories: frozenset[str]
    bounded_by_job_deadline: frozenset[str]
    attended_in_commands: frozenset[str]
    exploited_by_the_caller: frozenset[str]
    few_callers_negligible: frozenset[str]
    measured: Mapping[str, Measured]  # concern, and "concern @ reach", -> its measurement
    once_at_import: frozenset[str] = frozenset()  # concerns a module's top level runs once (profile.yaml 2b)
    needs_an_anonymous_caller: frozenset[str] = frozenset()  # held back where every caller is signed in (8)
    unreferenced_held_back_categories: frozenset[str] = frozenset()  # held back in code nothing names (9)
    client_held_back_categories: frozenset[str] = frozenset()  # held back in a client the service never runs (11)
    written_not_run: frozenset[str] = frozenset()  # judged on a line that can never run too (10)
    # measured keys the default report keeps although their estimate is under the threshold: they
    # were in it when the gate was last written and their labels do not show them below it
    # (`stays_admitted`; written into data/precision.yaml by the triage script)
    kept: frozenset[str] = frozenset()
    # concern -> the mechanism family it shares its evidence with (profile.yaml `families`), and
    # each family's mechanism in words, for the reason a finding is held back
    family_of: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    mechanisms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # per level of the hierarchy (profile.yaml `prior_strength` as a mapping); None: `prior_strength` at each
    strengths: Strengths | None = None

    # the levels above a concern of the gate's hierarchy (derived from `measured`, once)
    priors: Priors = field(init=False)

    def __post_init__(self) -> None:
        if self.strengths is None:
            object.__setattr__(self, "strengths", Strengths.uniform(self.prior_strength))
        object.__setattr__(self, "priors", priors_from(self.measured, self.family_of, self.levels))

    @property
    def levels(self) -> Strengths:
        """The strength of each level of the hierarchy."""
        return self.strengths or Strengths.uniform(self.prior_strength)

    @property
    def pooled(self) -> float:
        """How often a finding of any measured rule was worth acting on."""
        return self.priors.pooled

    def held_where_uncalled(self, kind: str) -> frozenset[str]:
        """The categories held back in code of a reach the call graph cannot give (`uncalled`)."""
        return {UNREFERENCED: self.unreferenced_held_back_categories,
                CLIENT: self.client_held_back_categories}.get(kind, frozenset())

    def measurement(self, concern: str, reach: str = "", family: str = "", confidence: str = "") -> Measured | None:
        """Where the finding runs, at the confidence its rule gave it, when that was measured;
        else where it runs; else the concern as a whole; in the finding's language family
        (sources/languages.measured_family) only."""
        return self.measured.get(self.measured_key_of(concern, reach, family, confidence))

    def estimated(self, concern: str, reach: str = "", family: str = "", confidence: str = "") -> float:
        """The gate's estimate for a finding (analysis/gate_estimate.py): its most specific measured
        level, shrunk toward the levels above it; a concern never measured, its family's prior."""
        return self.key_estimate(self.measured_key_of(concern, reach, family, confidence))

    def key_estimate(self, key: str) -> float:
        """The estimate at a key of data/precision.yaml (or one it would write)."""
        return estimate(parse_key(key), self.measured, self.priors, self.family_of, self.levels)

    def prior_of(self, concern: str, family: str = "") -> float:
        """What `concern` is expected to score in `family`'s code before its own findings count."""
        return self.priors.of(self.family_of.get(concern, ""), family) if family in self.priors.languages else 0.0

    def below_threshold(self, concern: str, reach: str = "", family: str = "",
                        confidence: str = "") -> Measured | None:
        """The measurement (an empty one when there is none) when its estimate is below the
        threshold and it was not kept, else None."""
        key = self.measured_key_of(concern, reach, family, confidence)
        if self.admits(key):
            return None
        return self.measured.get(key) or Measured(0, 0)

    def admits(self, key: str) -> bool:
        """In the default report: estimated at or above the threshold, or kept (see `kept`)."""
        return self.key_estimate(key) >= self.threshold or (key in self.measured and key in self.kept)

    def measured_key_of(self, concern: str, reach: str = "", family: str = "", confidence: str = "") -> str:
        """The key `measurement` answers from: the confidence's sub-cell when it was measured,
        else the cell when it was, else the concern."""
        key = measured_key(concern, family)
        cell = f"{key} @ {reach or 'unknown'}"
        if confidence and f"{cell} ({confidence})" in self.measured:
            return f"{cell} ({confidence})"
        return cell if cell in self.measured else key


# one-sided 90% for the Wilson interval of a measured precision
_Z = 1.645


def precision_upper_bound(true: int, labelled: int) -> float:
    """The Wilson score interval's upper end (90%, one-sided) of `true` of `labelled`: the
    highest precision the labels leave plausible."""
    if not labelled:
        return 1.0
    p, z2 = true / labelled, _Z * _Z
    centre = (p + z2 / (2 * labelled)) / (1 + z2 / labelled)
    margin = _Z * (p * (1 - p) / labelled + z2 / (4 * labelled * labelled)) ** 0.5 / (1 + z2 / labelled)
    return centre + margin


def stays_admitted(previous: ProfilePolicy, current: ProfilePolicy, key: str) -> bool:
    """Hysteresis of the gate, decided when data/precision.yaml is rewritten: a measured key
    the previous gate admitted stays in the default report while its labels leave a precision
    at the threshold plausible (`precision_upper_bound` >= threshold), so a cell of 187
    labels at 79% does not flip the report on one more nit. A key enters only when its own
    estimate reaches the threshold, and leaves once the labels show it below."""
    found = current.measured.get(key)
    if found is None or current.key_estimate(key) >= current.threshold:
        return False
    was_key = _decided_by(previous, key)  # a key new to the gate was decided by the one it refines
    return was_key in previous.measured and previous.admits(was_key) \
        and precision_upper_bound(found.true, found.labelled) >= current.threshold


def _decided_by(policy: ProfilePolicy, key: str) -> str:
    """The measured key of `policy` that decided the findings `key` names: itself, or for a
    confidence's sub-cell or a reach's cell it did not measure, the cell or concern it refines."""
    while key not in policy.measured and (" (" in key or " @ " in key):
        key = key.rpartition(" (")[0] if key.endswith(")") and " @ " in key else key.partition(" @ ")[0]
    return key


def measured_key(concern: str, family: str = "") -> str:
    """How data/precision.yaml names a concern's measurement in a language family:
    `missing-timeout` for Python code and shared documents, `missing-timeout [javascript]`
    for JS/TS code (a rule measured on one language's code says nothing about another's)."""
    return f"{concern} [{family}]" if family else concern


@lru_cache(maxsize=1)
def load_policy() -> ProfilePolicy:
    data = resources.files("servicelens.data")
    return policy_from(data.joinpath("precision.yaml").read_text("utf-8"))


def policy_from(precision_text: str) -> ProfilePolicy:
    """The policy of data/profile.yaml with the measurements of a precision.yaml's text (the
    shipped one, or the one the triage script is about to replace)."""
    policy = packaged_yaml(resources.files("servicelens.data").joinpath("profile.yaml").read_text("utf-8"))
    precision = packaged_yaml(precision_text) or {}
    measured: dict[str, Measured] = {}
    for section in ("concerns", "cells"):
        for key, halves in (precision.get(section) or {}).items():
            true = sum(int(halves[h][0]) for h in ("test", "dev") if h in halves)
            labelled = sum(int(halves[h][1]) for h in ("test", "dev") if h in halves)
            where, _, confidence = key.partition(" @ ")[2].partition(" (")
            measured[key] = Measured(true, labelled, where, confidence.removesuffix(")"))
    families = policy.get("families") or {}
    strength = policy["prior_strength"]
    levels = Strengths(**{level: float(value) for level, value in strength.items()}) \
        if isinstance(strength, dict) else Strengths.uniform(float(strength))
    return ProfilePolicy(float(policy["threshold"]), levels.concern,
                         frozenset(policy["request_path_only"]), frozenset(policy["script_held_back_categories"]),
                         frozenset(policy.get("bounded_by_job_deadline") or ()),
                         frozenset(policy.get("attended_in_commands") or ()),
                         frozenset(policy.get("exploited_by_the_caller") or ()),
                         frozenset(policy.get("few_callers_negligible") or ()),
                         MappingProxyType(measured),
                         once_at_import=frozenset(policy.get("once_at_import") or ()),
                         needs_an_anonymous_caller=frozenset(policy.get("needs_an_anonymous_caller") or ()),
                         unreferenced_held_back_categories=frozenset(policy.get("unreferenced_held_back_categories") or ()),
                         client_held_back_categories=frozenset(policy.get("client_held_back_categories") or ()),
                         written_not_run=frozenset(policy.get("written_not_run") or ()),
                         kept=frozenset(precision.get("kept") or ()),
                         family_of=MappingProxyType({concern: name for name, family in families.items()
                                                     for concern in family["concerns"]}),
                         mechanisms=MappingProxyType({name: family["mechanism"] for name, family in families.items()}),
                         strengths=levels)


def standing(concern: str, policy: ProfilePolicy | None = None) -> str:
    """For `servicelens explain`: how often this concern's findings were worth acting on, and
    whether the default report shows them."""
    policy = policy or load_policy()
    measured = policy.measured.get(concern)  # the concern as a whole; its cells follow
    if measured is None:
        shown = "in the default report" if policy.admits(concern) else \
            "held back from the default report until it is (`--profile extended` or `--select` shows it)"
        return (f"not measured yet on the triage corpus; rules of its family are estimated at "
                f"{100 * policy.estimated(concern):.0f}%: {shown}")
    verdict = ("held back from the default report until its rule is fixed (`--profile extended` or "
               "`--select` shows it)" if not policy.admits(concern) else "in the default report")
    cells = sorted((m.where, m.confidence, m.true, m.labelled) for key, m in policy.measured.items()
                   if key.startswith(f"{concern} @ "))
    per_reach = "; ".join(f"{where or 'unknown'}{f' ({confidence} confidence)' if confidence else ''}: {true} of {labelled}"
                          for where, confidence, true, labelled in cells)
    return (f"{measured.true} of {measured.labelled} findings worth acting on ({100 * measured.precision:.0f}%, "
            f"triage corpus): {verdict}" + (f". By where the code runs: {per_reach}" if per_reach else ""))


_WHERE = {"request": "on a request path", "task": "in background jobs", "command": "in commands",
          "script": "in scripts", "startup": "at start-up", "dead": "in code that can never run",
          "unreferenced": "in code nothing in the review names",
          "client": "in a client of this service that the service never runs", "unreachable": "on lines that can never run", "unknown": "in code no handler, command or job was found to call"}


_FAMILY_NAMES = {"javascript": "JavaScript/TypeScript", "java": "Java", "go": "Go"}


def held_back_reason(finding: Finding, reach_kind: str, reach_evidence: str, policy: ProfilePolicy,
                     settings: Settings, reach_deadline: str = "", reach_callers: str = "",
                     reach_guard: bool = False) -> tuple[str, str]:
    """(why held back, the reason's kind) or ("", ""). Where the code runs and who may call it
    are asked first: a finding they hold back is not shown whatever its rule's precision, so
    the triage corpus measures each rule only over the findings where the gate is what decides
    (`held_back_by` "precision")."""
    where = _structural_reason(finding, reach_kind, reach_evidence, policy, reach_deadline, reach_callers,
                               reach_guard)
    if where[0]:
        return where
    family = measured_family(finding.location.path)
    weak = policy.below_threshold(finding.concern, reach_kind, family, finding.confidence.value)
    if weak is None or finding.concern in settings.select:
        return "", ""
    confidence = finding.confidence.value
    estimated = policy.estimated(finding.concern, reach_kind, family, confidence)
    if not weak.labelled:
        return _unmeasured_reason(finding.concern, family, estimated, policy), PRECISION
    at = f" of {weak.confidence} confidence" if weak.confidence else ""
    at += f" {_WHERE.get(weak.where, weak.where)}" if weak.where else ""
    at += f" in {_FAMILY_NAMES.get(family, family)} code" if family else ""
    return (f"{finding.concern} findings{at} were worth acting on in {weak.true} of {weak.labelled} cases on "
            f"public code (triage corpus; estimated {100 * estimated:.0f}% < "
            f"{100 * policy.threshold:.0f}%)"), PRECISION


def _unmeasured_reason(concern: str, family: str, estimated: float, policy: ProfilePolicy) -> str:
    """Why a concern never measured in this language is held back: what it is expected to score
    (its mechanism family's estimate there), or that nothing was measured in the language at all."""
    language = _FAMILY_NAMES.get(family, family)
    if family not in policy.priors.languages:
        return (f"{concern} has not been measured on {language} code of the triage corpus yet (its rules' "
                "precision on Python code says nothing about this language's); a rule is shown by default once "
                "its findings in this language are")
    on = f" on {language} code of" if family else " on"
    there = " there" if family else ""
    mechanism = policy.family_of.get(concern, "")
    borrowed = (f"rules of its family ({policy.mechanisms.get(mechanism, mechanism)}) are estimated at "
                f"{100 * estimated:.0f}%{there}" if mechanism else f"rules so far are estimated at {100 * estimated:.0f}%{there}")
    return (f"{concern} has not been measured{on} the triage corpus yet; {borrowed}, below the "
            f"{100 * policy.threshold:.0f}% the default report asks; a rule is shown by default once its own "
            "findings are measured there")


def _structural_reason(finding: Finding, reach_kind: str, reach_evidence: str, policy: ProfilePolicy,
                       reach_deadline: str, reach_callers: str, reach_guard: bool = False) -> tuple[str, str]:
    if reach_kind == UNREACHABLE:
        return f"on a line that can never run ({reach_evidence}), so what it describes cannot happen", REACH
    # the guard that admits the role runs for every caller who knocks (analysis/reach.guard_code):
    # a flaw in it is not one only the role's holder can use
    if reach_callers == PRIVILEGED and finding.concern in policy.exploited_by_the_caller and not reach_guard:
        return ("only staff or administrators reach this code (every route to it requires that role): "
                "a flaw a caller who already holds that power can use is not worth a fix"), CALLERS
    if reach_callers == PRIVILEGED and finding.concern in policy.few_callers_negligible:
        return ("only staff or administrators reach this code (every route to it requires that role): "
                "a back-office page's few users make its cost negligible"), CALLERS
    if reach_callers in (SIGNED_IN, PRIVILEGED) and finding.concern in policy.needs_an_anonymous_caller:
        return ("only signed-in callers reach this code (every route to it requires authentication): their "
                "requests already name them in the access log beside anything they could forge"), CALLERS
    if reach_kind == DEAD:
        return f"in code that can never run: {reach_evidence}", REACH
    if reach_kind == UNREFERENCED:
        return f"in code nothing in the review names: {reach_evidence}", REACH
    if reach_kind == CLIENT:
        return f"in a client of this service that the service itself never runs: {reach_evidence}", REACH
    if reach_kind == DEVELOPMENT and reach_evidence.startswith(_DEVELOPMENT_MARKS[1]):
        return (f"runs only while an operator's diagnostic switch is on "
                f"(`{reach_evidence.removeprefix(_DEVELOPMENT_MARKS[1])}`), off in a normal deployment"), REACH
    if reach_kind == DEVELOPMENT:
        return f"in a development or test setup that is never deployed: {reach_evidence}", REACH
    if finding.cost_at == REQUEST_ONLY and reach_kind != REQUEST:
        return ("worth a comment only where a request runs this code (see why), and no request path was found "
                "to reach it"), REACH
    if reach_kind in ("command", "task", "script", STARTUP) and finding.concern in policy.request_path_only:
        return f"not on a request path: {reach_evidence}", REACH
    if reach_kind == "command" and finding.concern in policy.attended_in_commands:
        return (f"in a command an operator runs and watches, not a served request or an unattended job: "
                f"{reach_evidence}"), REACH
    if reach_kind == "task" and reach_deadline and finding.concern in policy.bounded_by_job_deadline:
        return f"in a background job its framework stops after a deadline ({reach_deadline}): {reach_evidence}", REACH
    if reach_kind in ("script", STARTUP) and finding.category.value in policy.script_held_back_categories:
        return f"code that runs once, not per request: {reach_evidence}", REACH
    return "", ""


def apply_profile(findings: Sequence[Finding], reach: ReachIndex, settings: Settings,
                  policy: ProfilePolicy | None = None,
                  uncalled: Mapping[tuple[str, str], Reach] = MappingProxyType({}),
                  limited: frozenset[tuple[str, int]] = frozenset()) -> tuple[tuple[Finding, ...], int]:
    """Each finding with where it runs and why it is held back; the default profile keeps
    the rest, and says how many it left out. `uncalled`: (path, qualname) of functions the
    service never runs, whose reach the call graph left unknown, with the reach that says why:
    nothing in the review names them (analysis/unreferenced.py), or they are a client of the
    service that the service never makes to run them (analysis/service_clients.py). `limited`:
    (path, line) of findings in a handler whose rate the project limits (`graded_by_callers`)."""
    policy = policy or load_policy()
    marked = []
    for finding in findings:
        where = reach.at(finding.location.path, finding.location.start_line)
        if where.kind == UNREACHABLE and finding.concern in policy.written_not_run:  # what the line says, run or not
            where = reach.around(finding.location.path, finding.location.start_line)
        if finding.cost_at == USES and where.kind == STARTUP:  # a client built at boot costs whoever uses it, later
            where = Reach("")
        if where.at_import and finding.concern not in policy.once_at_import:  # a declaration, used per request
            where = Reach("")
        if finding.reach == DEVELOPMENT and (not where.kind or _narrowed(finding)):  # set by the analysis that read the file
            # a development-only file has no reach of its own; a branch only a diagnostic switch
            # turns on, or a test double's method, narrows the reach of the code around it
            where = Reach(DEVELOPMENT, _development_evidence(finding))
        elif not where.kind and not where.at_import and uncalled:
            found = uncalled.get((finding.location.path, reach.function_at(finding.location.path,
                                                                           finding.location.start_line)))
            if found is not None and finding.category.value in policy.held_where_uncalled(found.kind):
                where = found
        finding = graded_by_callers(finding, where,
                                    (finding.location.path, finding.location.start_line) in limited)
        reason, by = held_back_reason(finding, where.kind, where.evidence, policy, settings, where.deadline,
                                      where.callers, where.guard)
        marked.append(replace(finding, reach=where.kind, held_back=reason, held_back_by=by, callers=where.callers)
                      if where.kind or reason else finding)
    marked.sort(key=Finding.sort_key)  # reach is known now: request-path code first at equal severity
    shown = tuple(f for f in marked if shown_in(settings.profile, f))
    return shown, len(marked) - len(shown)


def graded_by_callers(finding: Finding, where: Reach, limited: bool = False) -> Finding:
    """A finding whose cost is what its callers can make the service repeat (`cost_at`
    ANONYMOUS_CALLERS: password hashing) keeps a high confidence only where an anonymous caller
    reaches its code (a public login or sign-up route, over every route that reaches it): there an
    attacker repeats it at will. Where every caller is signed in (changing one's own password), the
    code runs offline (an admin created at start-up, a command) or nobody can tell who calls it, one
    hash per rare action of a known user is negligible more often than not: medium. So where the
    handler's rate is `limited` (a limiter on it or on every route, a lockout: the rate-limit rule's
    own finding, analysis/project._attempt_limited): the attacker repeats it only at that rate."""
    if finding.cost_at != ANONYMOUS_CALLERS or finding.confidence is not Confidence.HIGH or \
            (where.callers == ANYONE and not limited):
        return finding
    return replace(finding, confidence=Confidence.MEDIUM)


def _development_evidence(finding: Finding) -> str:
    marks = [s.description for s in finding.evidence if s.description.startswith(_DEVELOPMENT_MARKS)]
    if not marks:
        return "the file is marked development-only"
    return marks[-1].split(": ", 1)[1] if not marks[-1].startswith(_DEVELOPMENT_MARKS[1]) else marks[-1]


def _narrowed(finding: Finding) -> bool:
    """Marked development-only by a switch or a stand-in, which narrow a known reach (a file's
    mark only stands where the call graph found none)."""
    return any(s.description.startswith(_DEVELOPMENT_MARKS[1:]) for s in finding.evidence)


def shown_in(profile: str, finding: Finding) -> bool:
    """Whether a finding already marked by `apply_profile` belongs in a report of `profile`. A
    finding on a line that can never run belongs in none: it describes what cannot happen."""
    return finding.reach != UNREACHABLE and (profile == "extended" or not finding.held_back)
