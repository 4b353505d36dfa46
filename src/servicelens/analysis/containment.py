"""Failure is data: one analysis step that breaks on one input must not end the review.

A hostile or merely odd repository can drive any analysis into an exception nobody
foresaw (a RecursionError on a deep structure, a ValueError on a strange value). The
review still has to end with a report, so each step runs contained: its exception
becomes an `analysis-error` diagnostic naming the input, the step and the exception
class (so a bug is visible, never silently hidden), and the step contributes its
fallback instead.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from servicelens.model.report import Diagnostic

T = TypeVar("T")
_MAX_REASON = 200  # an exception message may quote repository text of any size


NOT_REVIEWED = "this document was not reviewed"


def failure_diagnostic(path: str, step: str, exc: BaseException, consequence: str = NOT_REVIEWED) -> Diagnostic:
    """`analysis-error` for `path`: which step stopped, on which exception, and what it means."""
    detail = " ".join(str(exc).split())
    if len(detail) > _MAX_REASON:
        detail = detail[:_MAX_REASON] + "…"
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return Diagnostic(path or ".", "analysis-error",
                      f"{step} stopped on {reason}; {consequence}")


def contained(path: str, step: str, produce: Callable[[], T], fallback: T,
              diagnostics: list[Diagnostic], consequence: str = NOT_REVIEWED) -> T:
    """`produce()`, or `fallback` plus a diagnostic appended to `diagnostics` when it raises."""
    return contained_lazily(path, step, produce, lambda: fallback, diagnostics, consequence)


def contained_lazily(path: str, step: str, produce: Callable[[], T], make_fallback: Callable[[], T],
                     diagnostics: list[Diagnostic], consequence: str = NOT_REVIEWED) -> T:
    """As `contained`, for a fallback that costs work: it is built only when `produce` fails."""
    try:
        return produce()
    except Exception as exc:  # noqa: BLE001 - DESIGN: one bad input never stops a review
        diagnostics.append(failure_diagnostic(path, step, exc, consequence))
        return make_fallback()
