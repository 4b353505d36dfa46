"""The precision the default profile's gate expects of a finding: measurements on the triage
corpus arranged as a hierarchy, each level shrunk toward the estimate of the level above it by
its level's strength (`Strengths`; data/profile.yaml, section 1):

    pooled: every measured finding
      language family: the mean of the estimates of its measured concerns    "javascript"
        mechanism family: the mean of the estimates of its measured concerns "request-data-to-sink"
          concern                                                            "sql-injection [javascript]"
            concern @ reach                                                  "... @ request"
              concern @ reach (confidence)                                   "... @ request (high)"

So a reach's cell with one labelled finding stays near its concern, and a concern never measured
starts from what rules sharing its mechanism and evidence score in its language, not from every
rule's average nor from nothing. The two family levels average concerns, not findings: the question
they answer is what a rule of the family is worth, and one rule's hundreds of findings must not
speak for its neighbours. A language nothing was measured in has no estimate (0): a Python rule's
precision says nothing about another language's."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import lgamma
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Measured:
    """A concern's precision on the triage corpus (development and test halves together:
    the gate is fitted on both; the validation half, never used here, measures the result)."""

    true: int
    labelled: int
    where: str = ""  # "" for the whole concern, else the reach it was measured at ("request", ...)
    confidence: str = ""  # "" unless measured for one confidence of its rule at that reach ("high", ...)

    @property
    def precision(self) -> float:
        return self.true / self.labelled if self.labelled else 0.0


@dataclass(frozen=True, slots=True)
class MeasuredKey:
    """A key of data/precision.yaml taken apart: `concern [language] @ reach (confidence)`."""

    concern: str
    language: str = ""  # "" for Python code and shared documents (sources/languages.measured_family)
    reach: str = ""  # "" when the key is the whole concern
    confidence: str = ""  # "" unless the key is a confidence's sub-cell


def parse_key(key: str) -> MeasuredKey:
    head, _, cell = key.partition(" @ ")
    concern, _, language = head.partition(" [")
    reach, _, confidence = cell.partition(" (")
    return MeasuredKey(concern, language.removesuffix("]"), reach, confidence.removesuffix(")"))


@dataclass(frozen=True, slots=True)
class Strengths:
    """How many observations at the level above's estimate each level is shrunk by: how far the
    members of a level are seen to stray from their parent (`fitted_strength`)."""

    language: float = 1.0  # a language's concerns toward every measured finding
    family: float = 1.0  # a mechanism family's concerns toward their language
    concern: float = 1.0  # a concern's findings toward its mechanism family
    reach: float = 1.0  # a reach's findings toward their concern
    confidence: float = 1.0  # a confidence's findings toward their reach

    @classmethod
    def uniform(cls, strength: float) -> Strengths:
        return cls(strength, strength, strength, strength, strength)


def shrunk(measured: Measured | None, prior: float, strength: float) -> float:
    """`measured`'s precision with `strength` observations at `prior` added: one right finding
    of one is weak evidence; no finding at all is the prior."""
    true, labelled = (measured.true, measured.labelled) if measured is not None else (0, 0)
    return (true + strength * prior) / (labelled + strength)


@dataclass(frozen=True, slots=True)
class Priors:
    """What a concern is expected to score before its own findings count: per language family
    and per (mechanism family, language family). Built once from the measurements."""

    pooled: float
    languages: Mapping[str, float]
    families: Mapping[tuple[str, str], float]

    def of(self, mechanism: str, language: str) -> float:
        """The prior of a concern of `mechanism` (a family name, "" for none) in `language`."""
        if (mechanism, language) in self.families:
            return self.families[mechanism, language]
        return self.languages.get(language, 0.0)


def priors_from(measured: Mapping[str, Measured], family_of: Mapping[str, str], strengths: Strengths) -> Priors:
    """The pooled, language and mechanism-family levels of the hierarchy, from the whole-concern
    measurements (keys without ` @ `)."""
    wholes = {parse_key(key): m for key, m in measured.items() if " @ " not in key}
    labelled = sum(m.labelled for m in wholes.values())
    pooled = sum(m.true for m in wholes.values()) / labelled if labelled else 0.0
    languages = {language: _mean_shrunk((m for k, m in wholes.items() if k.language == language), pooled,
                                        strengths.concern, strengths.language)
                 for language in {k.language for k in wholes}}
    families = {}
    for mechanism, language in {(family_of.get(k.concern, ""), k.language) for k in wholes}:
        if mechanism:
            members = (m for k, m in wholes.items()
                       if k.language == language and family_of.get(k.concern, "") == mechanism)
            families[mechanism, language] = _mean_shrunk(members, languages[language], strengths.concern,
                                                         strengths.family)
    return Priors(pooled, MappingProxyType(languages), MappingProxyType(families))


def _mean_shrunk(members: Iterable[Measured], prior: float, member_strength: float, strength: float) -> float:
    """The mean of the members' estimates (each shrunk toward `prior`), itself shrunk toward
    `prior` by `strength` members."""
    estimates = [shrunk(m, prior, member_strength) for m in members]
    return (sum(estimates) + strength * prior) / (len(estimates) + strength)


def estimate(key: MeasuredKey, measured: Mapping[str, Measured], priors: Priors,
             family_of: Mapping[str, str], strengths: Strengths) -> float:
    """The estimate at `key`'s level: from its mechanism family's prior down through the concern,
    the reach and the confidence, each measured level shrunk toward the one above; a level not
    measured is the one above (and ends the descent: a confidence is measured only within a reach)."""
    value = priors.of(family_of.get(key.concern, ""), key.language) if key.language in priors.languages else 0.0
    head = f"{key.concern} [{key.language}]" if key.language else key.concern
    levels = [(head, strengths.concern)]
    if key.reach:
        levels.append((f"{head} @ {key.reach}", strengths.reach))
        if key.confidence:
            levels.append((f"{head} @ {key.reach} ({key.confidence})", strengths.confidence))
    for level, strength in levels:
        found = measured.get(level)
        if found is None and level != head:
            break
        value = shrunk(found, value, strength) if found is not None else value
    return value


# the strengths `fitted_strength` chooses among
_GRID = (0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32)


def fitted_strength(samples: Iterable[tuple[int, int, float]]) -> float:
    """The strength under which (true, labelled, parent's precision) samples are likeliest: the
    beta-binomial marginal likelihood, members drawn around their parent with concentration
    `strength`. A level whose members stray far from their parent gets a small strength (its own
    findings decide soon); one whose members stay close, a large one; one with no member, one."""
    rows = [(true, labelled, min(max(parent, 0.01), 0.99)) for true, labelled, parent in samples]
    if not rows:
        return 1.0
    return max(_GRID, key=lambda strength: sum(_beta_binomial(true, labelled, strength * parent,
                                                              strength * (1 - parent))
                                               for true, labelled, parent in rows))


def _beta_binomial(true: int, labelled: int, alpha: float, beta: float) -> float:
    """log P(true of labelled) when the precision is Beta(alpha, beta) distributed (the binomial
    coefficient is left out: it does not depend on the strength)."""
    return (lgamma(true + alpha) + lgamma(labelled - true + beta) - lgamma(labelled + alpha + beta)
            - lgamma(alpha) - lgamma(beta) + lgamma(alpha + beta))


def fitted_strengths(measured: Mapping[str, Measured], family_of: Mapping[str, str]) -> Strengths:
    """The concern, reach and confidence strengths the measurements support: a reach's cell or a
    confidence's sub-cell against the rest of its parent, so a concern measured at one reach only
    says nothing; a concern against its mechanism family's prior, which it is part of (a family has
    too few members to leave each out). The two family levels have too few members to fit and keep
    one."""
    priors = priors_from(measured, family_of, Strengths())
    concerns, reaches, confidences = [], [], []
    for key, found in measured.items():
        parts = parse_key(key)
        if not parts.reach:
            concerns.append((found.true, found.labelled, priors.of(family_of.get(parts.concern, ""), parts.language)))
            continue
        parent = measured.get(key.rpartition(" (")[0] if parts.confidence else key.partition(" @ ")[0])
        if parent is not None and parent.labelled > found.labelled:
            rest = (parent.true - found.true) / (parent.labelled - found.labelled)
            (confidences if parts.confidence else reaches).append((found.true, found.labelled, rest))
    return Strengths(1.0, 1.0, fitted_strength(concerns), fitted_strength(reaches), fitted_strength(confidences))
