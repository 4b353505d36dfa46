"""Scores `servicelens design` on a blind corpus of requirements (benchmarks/design/corpus).

Usage:
    python benchmarks/design/run_design_corpus.py --half dev [--corpus DIR] [--json] [--stack fastapi] [--diagnose]

--diagnose names, for every missed item, the stage of design mode that lost it (miss_stages.py);
without --json it prints only totals and counts per category, never text, so it may be run on
the blind half.

Each corpus file (format: corpus/README.md) holds a requirement text and what a senior
engineer expects. The design is produced from the text alone (JSON output) and scored:

refusal      refused although `describes_a_system`, or accepted although it does not.
stated       a stated number is accounted for when a row of the design's "as understood"
             table (requirement.as_understood) has a meaning, contains the stated number
             (digits compared without separators) in its phrase, and has the stated value
             in some common unit (x 1, 60, 3600, 86400, 1e3, 1e6, 1e9, 1e12 either way).
figures      a hand-computed figure is produced when a capacity-plan item (only the
             capacity plan: no fishing over every number of the output) of the same unit
             family (rate per second, per day, per week, per month, per year, bytes (with or without
             a period: "storage per year" is written in GB by the corpus and in GB/year by
             the design), bandwidth, count (any plain noun: "events", "SKUs", "loans"),
             duration), unit-normalised, lies within the figure's relative tolerance.
operations   an expected operation is covered when one contract operation (operationId,
             summary and path, tokenised) contains min(2, n) of its n content tokens;
             tokens are lower-cased, singularised (trailing s), stop words dropped, cut to
             their first six letters (one word family: "notifier" / "notification"), and
             verbs of one meaning are one token: get/fetch/view/show/see/read,
             create/add/post/new/submit/register/record/log/enter/ingest/place,
             list/search/find/browse/query, buy/purchase.
components   an expected component is covered when one component (name and technology)
             contains min(2, n) of its content tokens.
invariants   addressed when one of the design's invariants (mechanism and where it is
             enforced) contains at least half (and at least min(2, n)) of the content
             tokens of one acceptable mechanism.
contract     the design's own OpenAPI self-check passed (every failed self-check is also
             listed per file and counted in the totals).
must_not     violated when one chosen component or decision line holds 75% or more of the
             item's content tokens.
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import re
import subprocess
import sys
from typing import Any

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import miss_stages  # noqa: E402  (beside this script)
STOP = set("a an the of to for and or in on at by with from per my own new is are be as it its their his her our your "
           "this that these those each every all any via into over under than e g eg i e ie etc vs".split())
SYNONYMS = {"fetch": "get", "view": "get", "show": "get", "see": "get", "read": "get", "retrieve": "get",
            "add": "create", "post": "create", "new": "create", "submit": "create", "register": "create",
            # a filtered listing is what a search endpoint is; recording, logging or entering a
            # thing creates it; buying is purchasing
            "search": "list", "find": "list", "browse": "list", "query": "list",
            "record": "create", "log": "create", "enter": "create", "ingest": "create", "place": "create",
            "purchase": "buy"}
# Words compare by their first letters so that inflection and derivation do not hide a
# shared word ("notifier" / "notification", "scheduler" / "scheduled"): 6 letters keep
# unrelated words apart in practice while joining one word's family.
STEM = 6
FACTORS = (1, 60, 3600, 86400, 1e3, 1e6, 1e9, 1e12, 604800, 2592000, 31536000, 0.01, 100)
_BYTES = {"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "pb": 1e15, "kib": 1024, "mib": 1024**2,
          "gib": 1024**3, "tib": 1024**4}
_PERIODS = {"s": "second", "sec": "second", "second": "second", "day": "day", "d": "day", "month": "month",
            "mo": "month", "year": "year", "yr": "year", "hour": "hour", "h": "hour", "min": "minute", "minute": "minute",
            "week": "week", "wk": "week"}
# Units that are a plain word but not a count of things (corpus/README.md: `ratio`, `characters`,
# `microseconds`): compared with nothing rather than with any count.
_NOT_COUNTS = frozenset({"ratio", "characters", "character", "microseconds", "microsecond", "percent"})


def tokens(text: str) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if w in STOP:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(SYNONYMS.get(w, w)[:STEM])
    return out


def family(unit: str) -> tuple[str, float] | None:
    """(family, factor to the family's base unit) of a unit string, or None."""
    u = unit.strip().lower().replace("per ", "/").replace(" ", "")
    if u in ("gbps", "gbit/s"):
        return "bandwidth", 1e9 / 8
    if u in ("mbps", "mbit/s"):
        return "bandwidth", 1e6 / 8
    m = re.fullmatch(r"([kmgtp]i?b|b)(?:/(\w+))?", u)
    if m:
        per = _PERIODS.get(m.group(2) or "", "")
        if m.group(2) and not per:
            return None
        if per == "second":
            return "bandwidth", _BYTES[m.group(1)]
        return ("bytes" + (f"/{per}" if per else "")), _BYTES[m.group(1)]
    if u in ("ms", "millisecond", "milliseconds"):
        return "duration", 1e-3
    if u in ("s", "sec", "seconds", "second"):
        return "duration", 1.0
    m = re.fullmatch(r"[a-z_\-]*/(\w+)", u) or re.fullmatch(r"(rps|qps|tps)", u)
    if m:
        per = "second" if m.group(1) in ("rps", "qps", "tps") else _PERIODS.get(m.group(1), "")
        return (f"rate/{per}", 1.0) if per else None
    if u in ("count", "instances", "nodes", "shards", "connections", "servers", "partitions", "workers", "users",
             "vcpu", "replicas", "brokers", "items", "rows", "devices", "objects"):
        return "count", 1.0
    if re.fullmatch(r"[a-z]+", u) and u not in _NOT_COUNTS:
        return "count of", 1.0  # a plain count of things ("events", "SKUs", "loans": corpus/README.md)
    return None


def design(text: str, stack: str) -> tuple[int, dict[str, Any] | None, str]:
    proc = subprocess.run([sys.executable, "-m", "servicelens", "design", text, "-f", "json", "--stack", stack],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        return proc.returncode, None, proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ""
    return 0, json.loads(proc.stdout), ""


def _digits(text: str) -> str:
    return re.sub(r"(?<=\d)[,_'](?=\d)", "", text.lower())


def stated_accounted(item: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
    """A range or several numbers in one phrase ([1, 3] for "1-3") count when one of them is
    read; a null value (digits that are a name, not a quantity) needs only a row."""
    if isinstance(item.get("value"), list):
        return any(stated_accounted(dict(item, value=v), rows) for v in item["value"]) if item["value"] else False
    nums = re.findall(r"\d+(?:\.\d+)?", _digits(str(item["phrase"])))
    value = _number(item["value"])
    for row in rows:
        if not row.get("meaning"):
            continue
        phrase = _digits(row["phrase"])
        if not any(re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", phrase) for n in nums):
            continue
        got = float(row["value"])
        if value is None:  # a stated value that is not one number ("1:1"): the phrase decides
            return True
        if any(math.isclose(got, value * f, rel_tol=0.01) or math.isclose(got * f, value, rel_tol=0.01) for f in FACTORS):
            return True
    return False


def _number(value: Any) -> float | None:
    """A stated value as a number; "1:1" is a ratio (1.0); a clock time ("05:30", "7:30",
    "23:59:59": minutes in two digits, corpus/README.md) and other text are None (the phrase
    decides). Read as a ratio, "05:30" was 0.167 and no row could match it."""
    if isinstance(value, (int, float)):
        return float(value)
    if re.fullmatch(r"\s*\d{1,2}:\d{2}(?::\d{2})?\s*", str(value)):
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*", str(value))
    if m and float(m.group(2)):
        return float(m.group(1)) / float(m.group(2))
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def figure_produced(fig: dict[str, Any], capacity: list[dict[str, Any]]) -> bool:
    want = family(str(fig["unit"]))
    if not want:
        return False
    target = float(fig["value"]) * want[1]
    tol = float(fig.get("tolerance", 0.1))
    named = tokens(f"{fig.get('name', '')} {fig['unit']}")
    for item in capacity:
        have = family(str(item["unit"]))
        if not have or _base(have[0]) != _base(want[0]):
            continue
        if "count of" in (want[0], have[0]) and not named & tokens(f"{item.get('name', '')} {item['unit']}"):
            continue  # a count of a named thing compares only with a count of that thing
        got = float(item["value"]) * have[1]
        if target == 0:
            if got == 0:
                return True
        elif abs(got - target) / abs(target) <= tol:
            return True
    return False


def _base(fam: str) -> str:
    """Sizes compare as sizes with or without a period ("storage per year: 42 GB" in the
    corpus is the design's "42 GB/year"); rates keep their period."""
    if fam == "count of":
        return "count"
    return "bytes" if fam.startswith("bytes") else fam


def covered(expected: str, candidates: list[str], need_half: bool = False) -> bool:
    want = tokens(expected)
    if not want:
        return True
    need = min(2, len(want))
    if need_half:
        need = max(need, math.ceil(len(want) / 2))
    return any(len(want & tokens(c)) >= need for c in candidates)


def score(doc: dict[str, Any], stack: str, catalogue: list[str] | None = None) -> dict[str, Any]:
    """`catalogue` (miss_stages.catalogue_components) asks for the stage that lost each missed item."""
    rc, out, err = design(doc["text"], stack)
    res = _score(doc, out, err)
    if catalogue is not None and res["system"]:
        res["missed_at"] = miss_stages.diagnose(doc, out, res, sys.modules[__name__], catalogue)
    return res


def _score(doc: dict[str, Any], out: dict[str, Any] | None, err: str) -> dict[str, Any]:
    system = bool(doc.get("describes_a_system"))
    res: dict[str, Any] = {"id": doc["id"], "system": system, "refused": out is None, "error": err}
    if not system:
        res["ok"] = out is None
        return res
    if out is None:  # every expectation of a refused system counts as missed
        for key in ("stated", "figures", "operations", "components", "invariants"):
            res[key] = [False] * len(doc.get(key) or [])
        res["ok"] = False
        return res
    req = out["requirement"]
    rows = req.get("as_understood", [])
    stated = doc.get("stated") or []
    res["stated"] = [stated_accounted(s, rows) for s in stated]
    res["figures"] = [figure_produced(f, out["capacity"]) for f in doc.get("figures") or []]
    ops = [f"{o.get('operationId', '')} {o.get('summary', '')} {path}"
           for path, methods in out["openapi"].get("paths", {}).items() for o in methods.values() if isinstance(o, dict)]
    res["operations"] = [covered(str(o), ops) for o in doc.get("operations") or []]
    comps = [f"{c['name']} {c['technology']}" for c in out["components"]]
    res["components"] = [covered(str(c["name"] if isinstance(c, dict) else c), comps) for c in doc.get("components") or []]
    mechs = [f"{i['mechanism']} {i.get('enforced_in', '')}" for i in req.get("invariants", [])]
    res["invariants"] = [any(covered(str(m), mechs, need_half=True) for m in inv.get("mechanisms", []))
                         for inv in doc.get("invariants") or []]
    res["self_check_failed"] = [c["name"] for c in out["self_check"] if c["status"] == "failed"]
    res["contract"] = any(c["name"].lower().startswith("openapi") and c["status"] == "passed" for c in out["self_check"])
    lines = comps + [f"{d['pattern']} {d['decision']}" for d in out["tradeoffs"] if d.get("chosen", True)]
    res["must_not_violated"] = [m for m in doc.get("must_not") or []
                                if any(len(tokens(str(m)) & tokens(line)) >= max(1, math.ceil(0.75 * len(tokens(str(m)))))
                                       for line in lines)]
    res["ok"] = True
    return res


def _ratio(results: list[dict[str, Any]], key: str) -> tuple[int, int]:
    hits = sum(sum(r.get(key, [])) for r in results)
    total = sum(len(r.get(key, [])) for r in results)
    return hits, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", default="dev", help="subfolder of --corpus: dev, test, or another set (own_s37, primer)")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--stack", default="fastapi")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--diagnose", action="store_true",
                    help="say which stage lost each missed item (categories only, never text: miss_stages.py); "
                         "without --json only the counts per category are printed")
    args = ap.parse_args(argv)
    catalogue = miss_stages.catalogue_components() if args.diagnose else None
    files = sorted(glob.glob(os.path.join(args.corpus, args.half, "*.yaml")))
    if not files:
        print(f"no corpus files in {os.path.join(args.corpus, args.half)}", file=sys.stderr)
        return 2
    results = [score(yaml.safe_load(open(f, encoding="utf-8")), args.stack, catalogue) for f in files]
    totals = {
        "files": len(results),
        "wrongly_refused": sum(1 for r in results if r["system"] and r["refused"]),
        "wrongly_accepted": sum(1 for r in results if not r["system"] and not r["refused"]),
        "contract_valid": sum(1 for r in results if r.get("contract")),
        "must_not_violations": sum(len(r.get("must_not_violated", [])) for r in results),
        "self_check_failures": sum(len(r.get("self_check_failed", [])) for r in results),
    }
    for key in ("stated", "figures", "operations", "components", "invariants"):
        totals[key] = "{}/{}".format(*_ratio(results, key))
    missed_at = miss_stages.tally([r["missed_at"] for r in results if "missed_at" in r]) if args.diagnose else None
    if args.json:
        print(json.dumps({"half": args.half, "totals": totals, "files": results,
                          **({"missed_at": missed_at} if missed_at is not None else {})}, indent=2))
        return 0
    if missed_at is not None:  # counts only: safe on the blind half
        print(json.dumps({"half": args.half, "totals": totals, "missed_at": missed_at}, indent=2))
        return 0
    for r in results:
        if not r["system"]:
            print(f"{r['id']:28} non-system: {'refused (ok)' if r['refused'] else 'ACCEPTED'}")
            continue
        if r["refused"]:
            print(f"{r['id']:28} REFUSED: {r['error']}")
            continue
        cells = "  ".join("{} {}/{}".format(k, sum(r[k]), len(r[k])) for k in ("stated", "figures", "operations", "components", "invariants"))
        bad = f"  must_not: {r['must_not_violated']}" if r["must_not_violated"] else ""
        failed = f"  self-check FAILED: {r['self_check_failed']}" if r["self_check_failed"] else ""
        print(f"{r['id']:28} {cells}  contract {'ok' if r['contract'] else 'FAIL'}{bad}{failed}")
    print("totals: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
