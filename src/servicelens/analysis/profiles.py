"""The default profile: what a principal engineer would comment on. Everything else is
held back, with its reason, for `--profile extended` (data/profile.yaml is the policy).

Two mechanisms, neither keyed on a repository: a concern whose findings were measured
below the precision threshold on public code the rules were not tuned on is held back until
its rule is fixed (data/precision.yaml, written by the triage corpus script); a concern
that only costs something on a served request is held back where the code runs only
offline (analysis/reach.py), and code run by hand as a script keeps only its security
findings."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping, Sequence

import yaml

from servicelens.analysis.reach import ReachIndex
from servicelens.config.settings import Settings
from servicelens.model.finding import Finding

PROFILES = ("default", "extended")


@dataclass(frozen=True, slots=True)
class Measured:
    """A concern's precision on one half of the triage corpus."""

    half: str  # "test" (held out) or "dev" (what the rules were fixed against)
    true: int
    labelled: int

    @property
    def precision(self) -> float:
        return self.true / self.labelled if self.labelled else 0.0


@dataclass(frozen=True, slots=True)
class ProfilePolicy:
    threshold: float
    min_labelled: int
    request_path_only: frozenset[str]
    script_held_back_categories: frozenset[str]
    measured: Mapping[str, tuple[Measured, ...]]  # concern -> its measurements, test half first

    def measurement(self, concern: str) -> Measured | None:
        """The held-out half when it has enough labels, else the development half."""
        return next((m for m in self.measured.get(concern, ()) if m.labelled >= self.min_labelled), None)

    def below_threshold(self, concern: str) -> Measured | None:
        found = self.measurement(concern)
        return found if found is not None and found.precision < self.threshold else None


@lru_cache(maxsize=1)
def load_policy() -> ProfilePolicy:
    data = resources.files("servicelens.data")
    policy = yaml.safe_load(data.joinpath("profile.yaml").read_text("utf-8"))
    precision = yaml.safe_load(data.joinpath("precision.yaml").read_text("utf-8")) or {}
    measured = {concern: tuple(Measured(half, *halves[half]) for half in ("test", "dev") if half in halves)
                for concern, halves in (precision.get("concerns") or {}).items()}
    return ProfilePolicy(float(policy["threshold"]), int(policy["min_labelled"]),
                         frozenset(policy["request_path_only"]), frozenset(policy["script_held_back_categories"]),
                         MappingProxyType(measured))


def standing(concern: str, policy: ProfilePolicy | None = None) -> str:
    """For `servicelens explain`: how often this concern's findings were worth acting on, and
    whether the default report shows them."""
    policy = policy or load_policy()
    measured = policy.measurement(concern)
    if measured is None:
        return "not measured yet on the triage corpus; in the default report"
    where = "held-out" if measured.half == "test" else "development"
    verdict = ("held back from the default report until its rule is fixed (`--profile extended` or "
               "`--select` shows it)" if measured.precision < policy.threshold else "in the default report")
    return (f"{measured.true} of {measured.labelled} findings worth acting on ({100 * measured.precision:.0f}%, "
            f"{where} half of the triage corpus): {verdict}")


def held_back_reason(finding: Finding, reach_kind: str, reach_evidence: str, policy: ProfilePolicy,
                     settings: Settings) -> str:
    weak = policy.below_threshold(finding.concern)
    if weak is not None and finding.concern not in settings.select:
        where = "held-out" if weak.half == "test" else "development"
        return (f"{finding.concern} findings were worth acting on in {weak.true} of {weak.labelled} cases on "
                f"public code ({where} half of the triage corpus, {100 * weak.precision:.0f}% < "
                f"{100 * policy.threshold:.0f}%)")
    if reach_kind in ("command", "task", "script") and finding.concern in policy.request_path_only:
        return f"not on a request path: {reach_evidence}"
    if reach_kind == "script" and finding.category.value in policy.script_held_back_categories:
        return f"code run by hand as a script, not a production path: {reach_evidence}"
    return ""


def apply_profile(findings: Sequence[Finding], reach: ReachIndex, settings: Settings,
                  policy: ProfilePolicy | None = None) -> tuple[tuple[Finding, ...], int]:
    """Each finding with where it runs and why it is held back; the default profile keeps
    the rest, and says how many it left out."""
    policy = policy or load_policy()
    marked = []
    for finding in findings:
        where = reach.at(finding.location.path, finding.location.start_line)
        reason = held_back_reason(finding, where.kind, where.evidence, policy, settings)
        marked.append(replace(finding, reach=where.kind, held_back=reason) if where.kind or reason else finding)
    marked.sort(key=Finding.sort_key)  # reach is known now: request-path code first at equal severity
    shown = tuple(f for f in marked if shown_in(settings.profile, f))
    return shown, len(marked) - len(shown)


def shown_in(profile: str, finding: Finding) -> bool:
    """Whether a finding already marked by `apply_profile` belongs in a report of `profile`."""
    return profile == "extended" or not finding.held_back
