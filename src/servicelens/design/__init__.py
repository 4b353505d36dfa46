"""Design mode: a requirement (plain English or spec.yaml) -> an architecture proposal
with numbers. Computes only; `render/design_*.py` formats the `Proposal`.

    text / spec.yaml
      -> requirement (requirement.py, spec.py: numbers, domains, hints)
      -> workload (workload.py: defaults become assumptions and open questions)
      -> capacity plan (capacity.py, capacity_domain.py: every formula shown; derived.py and compose.py
         compose what the text states per subject, subjects.py binds each size and factor to its noun)
      -> patterns (patterns.py + data/patterns.yaml: each with its condition)
      -> components + Mermaid (architecture.py), OpenAPI (contract.py), DDL (schema_sql.py),
         code skeleton (codegen*.py)
      -> self-check (selfcheck.py)
"""
from __future__ import annotations

from servicelens.design.bounds import requirement_problems
from servicelens.design.catalog import Catalog, load_catalog
from servicelens.design.codegen import STACKS
from servicelens.design.proposal import build
from servicelens.design.requirement import is_meaningful, parse_requirement
from servicelens.design.spec import SpecError, load_spec
from servicelens.design.stack_detect import detect_stack
from servicelens.design.text_guard import MAX_REQUIREMENT_CHARS, UnreadableText
from servicelens.model.design import Proposal

__all__ = ["DesignInputError", "MAX_REQUIREMENT_CHARS", "STACKS", "SpecError", "design_from_spec", "design_from_text",
           "detect_stack", "load_catalog"]

QUESTIONS_FOR_EMPTY = (
    "What does the system do (e.g. authentication, payments, orders, uploads, chat, a feed, notifications, search, a URL shortener, or a resource such as 'invoices')?",
    "Which operations must it offer (e.g. create, read, list, search, login)?",
    "How much traffic: peak requests per second, or daily active users and actions per user?",
    "How big is one record or upload, and how long must data be kept?",
    "What latency (p99) and availability targets apply, and any consistency or compliance needs (exactly-once, PCI, GDPR)?",
)


class DesignInputError(ValueError):
    """The input cannot be designed for; `questions` says what to answer."""

    def __init__(self, message: str, questions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.questions = questions


def design_from_text(text: str, stack: str = "fastapi", catalog: Catalog | None = None) -> Proposal:
    catalog = catalog or load_catalog()
    _check_stack(stack)
    if not text.strip():
        raise DesignInputError("The requirement is empty.", QUESTIONS_FOR_EMPTY)
    try:
        req = parse_requirement(text, catalog)
    except UnreadableText as exc:
        raise DesignInputError(f"Cannot read the requirement: {exc}") from None
    problems = requirement_problems(req)
    if problems:
        raise DesignInputError(f"Cannot design for this requirement: {problems[0].message()}")
    if not is_meaningful(req):
        raise DesignInputError("Cannot tell what to design from this requirement.", QUESTIONS_FOR_EMPTY)
    return build(req, catalog, stack)


def design_from_spec(yaml_text: str, stack: str | None = None, catalog: Catalog | None = None) -> Proposal:
    """`stack` (from the command line) wins over the spec's own `stack`."""
    catalog = catalog or load_catalog()
    req, spec_stack = load_spec(yaml_text, catalog)
    chosen = stack or spec_stack or "fastapi"
    _check_stack(chosen)
    return build(req, catalog, chosen)


def _check_stack(stack: str) -> None:
    if stack not in STACKS:
        raise DesignInputError(f"Unknown stack {stack!r}; choose one of {', '.join(STACKS)}.")
