"""The proposal checks itself: the contract validates, every implied query has an
index, and the generated code passes `servicelens review` with nothing at medium or above.

The review runs only when the review engine can be imported; otherwise the check says
so ("not run: review engine unavailable"), which is the truth at that moment.
"""
from __future__ import annotations

import importlib
import re
import tempfile
from pathlib import Path
from typing import Any

from servicelens.design.schema_sql import Index, query_has_index
from servicelens.model.design import GeneratedFile, SelfCheck


def check_openapi(doc: dict[str, Any]) -> SelfCheck:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    errors = sorted({f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
                     for e in OpenAPIV31SpecValidator(doc).iter_errors()})
    if errors:
        return SelfCheck("OpenAPI 3.1 document validates", "failed", tuple(errors[:20]))
    paths = doc.get("paths", {})
    count = sum(len(v) for v in paths.values())
    return SelfCheck("OpenAPI 3.1 document validates", "passed",
                     (f"openapi-spec-validator (3.1): {count} operations on {len(paths)} paths, no errors",))


def check_indexes(ops: list[dict[str, Any]], indexes: tuple[Index, ...], extra: list[tuple[str, dict[str, Any]]]) -> SelfCheck:
    missing, checked = [], 0
    queries = [(op["id"], q) for op in ops for q in op.get("queries", ())] + extra
    for op_id, q in queries:
        checked += 1
        if not query_has_index(q, indexes):
            cols = ", ".join(q.get("where", ())) + (f" ORDER BY {', '.join(q['order'])}" if q.get("order") else "")
            missing.append(f"{op_id}: {q['table']}({cols}) has no index")
    if missing:
        return SelfCheck("every implied query has an index", "failed", tuple(missing))
    return SelfCheck("every implied query has an index", "passed", (f"{checked} queries checked against {len(indexes)} indexes",))


def check_review(files: tuple[GeneratedFile, ...]) -> SelfCheck:
    name = "generated code passes servicelens review (no finding >= medium)"
    try:
        api = importlib.import_module("servicelens.api")
        review = getattr(api, "review")
    except (ImportError, AttributeError):
        return SelfCheck(name, "not-run", ("not run: review engine unavailable",))
    with tempfile.TemporaryDirectory(prefix="servicelens-design-") as tmp:
        root = Path(tmp)
        for f in files:
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.content, encoding="utf-8")
        try:
            report = review(root)
        except Exception as exc:  # the engine is another team's code: report, do not crash the design
            return SelfCheck(name, "not-run", (f"not run: review engine failed ({type(exc).__name__}: {exc})",))
    bad = [f for f in report.findings if f.severity.rank >= 2]
    scope = _scope(report)
    if bad:
        return SelfCheck(name, "failed", tuple(_describe(f) for f in bad[:20]) + scope)
    unanalysed = sorted({f.language for f in files if f.language not in _ANALYSED and f.path.endswith(_CODE_SUFFIXES)})
    if unanalysed:
        # the review finds these files but cannot analyse their code yet: no finding proves nothing
        return SelfCheck(name, "not-run", (f"not run: the review engine does not analyse {', '.join(unanalysed)} code yet "
                                           "(only the Dockerfile/contract parts were reviewed)",) + scope)
    return SelfCheck(name, "passed", (f"{len(report.findings)} findings, none medium or above",) + scope)


_ANALYSED = frozenset({"python", "yaml", "dockerfile", "sql", "json", "markdown", "text", "toml"})
_CODE_SUFFIXES = (".py", ".js", ".ts", ".java", ".go", ".kt")


def _scope(report: Any) -> tuple[str, ...]:
    """What the engine actually read, so a pass on an unparsed language is not mistaken for a clean review."""
    langs = getattr(getattr(report, "overview", None), "languages", ()) or ()
    stats = getattr(report, "stats", None)
    out = []
    if stats is not None:
        out.append(f"reviewed {stats.files} file(s), {stats.lines} lines; languages: "
                   + (", ".join(f"{lang} ({count})" for lang, count in langs) or "none"))
    out += [f"diagnostic: {d.path}: {d.message}" for d in getattr(report, "diagnostics", ())[:5]]
    return tuple(out)


def _describe(finding: Any) -> str:
    loc = getattr(finding, "location", None)
    where = f"{loc.path}:{loc.start_line}" if loc else "?"
    return f"{finding.severity.value} {getattr(finding, 'concern', '')} at {where}: {getattr(finding, 'title', '')}"


CONTRACT_FEATURES_CHECK = "declared contract features are implemented by the skeleton"


RATE_LIMIT_HEADERS = ("Retry-After", "RateLimit-Limit", "RateLimit-Remaining")


def check_contract_features(plans: list[Any], files: tuple[GeneratedFile, ...] = ()) -> SelfCheck:
    """Each skeleton handler must do what its contract declares: an Idempotency-Key header
    must reach the statement that makes the effect unique, a paginated list must read its
    cursor and limit, and the 429 every operation declares must come with its Retry-After
    and RateLimit-* headers from the skeleton's own rate limiter (the gateway's limits sit in
    front of it, but a contract the service does not keep by itself is not kept)."""
    problems, checked = [], []
    for f in files:
        if not f.path.endswith(_CODE_SUFFIXES):
            continue
        checked.append(f"{f.path}: 429 with {', '.join(RATE_LIMIT_HEADERS)}")
        missing = [h for h in RATE_LIMIT_HEADERS if f'"{h}"' not in f.content]
        if missing or not re.search(r"\b429\b|StatusTooManyRequests", f.content):
            problems.append(f"{f.path}: declares 429 with rate-limit headers but never sends "
                            + (", ".join(missing) if missing else "a 429"))
    for p in plans:
        if p.idempotent and p.method == "POST":
            checked.append(f"{p.op_id}: Idempotency-Key")
            if "header:idempotency_key" not in p.args and p.flavor != "provider_charge":
                problems.append(f"{p.op_id}: declares an Idempotency-Key the handler never stores or checks")
            elif p.shape == "insert" and p.flavor != "provider_charge" and not p.replay_sql:
                problems.append(f"{p.op_id}: a replayed Idempotency-Key gets an error, not the first call's result")
        if p.shape == "list" and p.order_column:
            checked.append(f"{p.op_id}: cursor pagination")
            if not {"cursor", "limit"} <= set(p.args):
                problems.append(f"{p.op_id}: declares cursor pagination the handler does not implement")
    if problems:
        return SelfCheck(CONTRACT_FEATURES_CHECK, "failed", tuple(problems))
    return SelfCheck(CONTRACT_FEATURES_CHECK, "passed", tuple(checked) or ("no idempotency or pagination declared by the skeleton's endpoints",))
