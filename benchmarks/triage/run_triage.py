#!/usr/bin/env python3
"""Re-run the triage corpus and compare servicelens's default report with the labels.

Each labels file (``<owner>+<name>.yaml``) pins one public repository, the directory
that was reviewed and a verdict (true / nit / false / unsure) for every finding of the
default report.  This script reviews every labelled repository again, matches today's
findings to the labels and prints, per repository and per concern, and totals per half:

* findings   - findings in today's default report
* true/nit/false/unsure - today's findings that match a label with that verdict
* precision  - true / labelled (labelled = today's findings that match any label)
* false back - labelled-false findings that are still reported
* true lost  - labelled-true findings that are no longer reported
* new        - today's findings with no label (listed, so someone labels them)

Matching: by (file, concern, line) first (the corpus is pinned), then by fingerprint, then
by the nearest line (``--line-slack`` lets the line differ by a few).  Concerns are counted per language family as the default profile
reads them (``missing-timeout`` for Python code and shared documents, ``missing-timeout
[javascript]`` for JS/TS code).  Stdlib, PyYAML and servicelens's own naming of those
families.  See README.md next to this file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from servicelens.analysis.gate_estimate import fitted_strengths
from servicelens.analysis.profiles import measured_key, policy_from, stays_admitted
from servicelens.render.common import GROUP_MIN_SITES, site_groups
from servicelens.sources.languages import measured_family

HERE = Path(__file__).resolve().parent
VERDICTS = ("true", "nit", "false", "unsure")


def default_servicelens() -> str:
    exe = Path(sys.executable).parent / "servicelens"
    if exe.exists():
        return str(exe)
    found = shutil.which("servicelens")
    return found or str(exe)


# --------------------------------------------------------------------------- labels


def load_labels(labels_dir: Path, half: str) -> list[dict]:
    files = sorted(labels_dir.glob("*.yaml")) + sorted(labels_dir.glob("*.yml"))
    out = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        if not isinstance(data, dict) or "repo" not in data:
            print(
                f"warning: {path}: not a labels file (no 'repo'), skipped",
                file=sys.stderr,
            )
            continue
        data["_path"] = str(path)
        if half != "all" and data.get("half") != half:
            continue
        for item in data.get("findings") or []:
            v = item.get("verdict")
            # YAML reads a bare true/false as a boolean
            if v is True:
                v = "true"
            elif v is False:
                v = "false"
            item["verdict"] = str(v).lower() if v is not None else "unsure"
            if item["verdict"] not in VERDICTS:
                print(
                    f"warning: {path}: {item.get('file')}:{item.get('line')} "
                    f"unknown verdict {v!r}, counted as unsure",
                    file=sys.stderr,
                )
                item["verdict"] = "unsure"
        out.append(data)
    return out


def repo_dirname(repo: str) -> str:
    return repo.replace("/", "+")


# --------------------------------------------------------------------------- review


def review(servicelens: str, target: Path, timeout: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="triage-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            servicelens,
            "review",
            str(target),
            "--format",
            "json",
            "--no-cache",
            "--quiet",
            "--profile",
            "extended",
            "--output",
            str(out),
        ]
        proc = subprocess.run(
            cmd, check=False, capture_output=True, text=True, timeout=timeout
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(
                f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"
            )
        with out.open(encoding="utf-8") as fh:
            report = json.load(fh)
    return report.get("findings") or []


def saved_report(path: Path) -> list[dict]:
    """The findings of a review saved by --save-reports (their `label` dropped: labels are matched
    again, from the labels files as they are now)."""
    if not path.is_file():
        raise RuntimeError(f"no saved report {path}")
    return [{k: v for k, v in f.items() if k != "label"} for f in json.loads(path.read_text("utf-8"))]


def loc(f: dict) -> tuple[str, int]:
    location = f.get("location") or {}
    return str(location.get("path", "")), int(location.get("start_line") or 0)


# --------------------------------------------------------------------------- matching


def match(findings: list[dict], labels: list[dict], slack: int):
    """Return (pairs, unmatched_findings, unmatched_labels); pairs are (finding, label).

    The corpus is pinned, so a label's (file, concern, line) is the surest key: it is tried
    first (a label with the finding's fingerprint preferred among several on one line). A
    fingerprint alone can name another site: findings alike in code carry an occurrence index
    in report order, and that order moves when a finding's severity or confidence does. The
    fingerprint is the second key (a finding now reported on another line of the same code),
    then the nearest line within the slack."""
    taken: set[int] = set()
    pairs: list[tuple[dict, dict]] = []
    by_site: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    by_fp: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_site[(str(lab.get("file")), str(lab.get("concern")), int(lab.get("line") or 0))].append(i)
        if lab.get("fingerprint"):
            by_fp[str(lab["fingerprint"])].append(i)

    def take(f: dict, cands: list[int]) -> bool:
        free = [i for i in cands if i not in taken]
        if not free:
            return False
        fp = str(f.get("fingerprint"))
        best = next((i for i in free if str(labels[i].get("fingerprint")) == fp), free[0])
        taken.add(best)
        pairs.append((f, labels[best]))
        return True

    # pass 1: the exact site; pass 2: the fingerprint
    rest = [f for f in findings if not take(f, by_site.get((*loc_concern(f),), []))]
    rest = [f for f in rest if not take(f, by_fp.get(str(f.get("fingerprint")), []))]
    # pass 3: (file, concern, line), nearest line within the slack
    new: list[dict] = []
    for f in rest:
        path, line = loc(f)
        best, best_d = None, None
        for i, lab in enumerate(labels):
            if i in taken or str(lab.get("file")) != path or lab.get("concern") != f.get("concern"):
                continue
            d = abs(int(lab.get("line") or 0) - line)
            if d <= slack and (best_d is None or d < best_d):
                best, best_d = i, d
        if best is None:
            new.append(f)
        else:
            taken.add(best)
            pairs.append((f, labels[best]))
    lost = [labels[i] for i in range(len(labels)) if i not in taken]
    return pairs, new, lost


def loc_concern(f: dict) -> tuple[str, str, int]:
    path, line = loc(f)
    return path, str(f.get("concern")), line


def save_report(path: Path, findings: list[dict], labels: list[dict], slack: int) -> None:
    """Every finding with the label it matched, for reading a half's findings offline."""
    pairs, _, _ = match(findings, labels, slack)
    verdicts = {id(f): lab for f, lab in pairs}
    out = [dict(f, label={k: verdicts[id(f)].get(k) for k in ("verdict", "why")} if id(f) in verdicts else None)
           for f in findings]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------- counting


def empty_row() -> dict:
    row = {
        "findings": 0,
        "labelled": 0,
        "precision": None,
        "false_back": 0,
        "true_lost": 0,
        "new": 0,
        "labels": 0,
    }
    for v in VERDICTS:
        row[v] = 0
    return row


def add_into(dst: dict, src: dict) -> None:
    for k, v in src.items():
        if isinstance(v, int) and not isinstance(v, bool):
            dst[k] = dst.get(k, 0) + v


def finish(row: dict) -> dict:
    row["precision"] = (
        round(row["true"] / row["labelled"], 3) if row["labelled"] else None
    )
    return row


def gate_key(concern: str, path: str) -> str:
    """The name the default profile measures a finding's concern under (per language family)."""
    return measured_key(concern or "?", measured_family(path or ""))


def finding_key(f: dict) -> str:
    return gate_key(f.get("concern", "?"), loc(f)[0])


def label_key(lab: dict) -> str:
    return gate_key(lab.get("concern", "?"), str(lab.get("file") or ""))


def score_repo(findings, labels, slack):
    pairs, new, lost = match(findings, labels, slack)
    total = empty_row()
    per: dict[str, dict] = defaultdict(empty_row)
    for f in findings:
        per[finding_key(f)]["findings"] += 1
    for lab in labels:
        per[label_key(lab)]["labels"] += 1
    for f, lab in pairs:
        row = per[finding_key(f)]
        row["labelled"] += 1
        row[lab["verdict"]] += 1
        if lab["verdict"] == "false":
            row["false_back"] += 1
    for f in new:
        per[finding_key(f)]["new"] += 1
    for lab in lost:
        if lab["verdict"] == "true":
            per[label_key(lab)]["true_lost"] += 1
    for row in per.values():
        add_into(total, row)
        finish(row)
    finish(total)
    new_list = [
        {
            "file": loc(f)[0],
            "line": loc(f)[1],
            "concern": f.get("concern"),
            "severity": f.get("severity"),
            "title": f.get("title"),
            "fingerprint": f.get("fingerprint"),
        }
        for f in new
    ]
    lost_true = [
        {
            "file": lab.get("file"),
            "line": lab.get("line"),
            "concern": lab.get("concern"),
            "why": lab.get("why"),
            "fingerprint": lab.get("fingerprint"),
        }
        for lab in lost
        if lab["verdict"] == "true"
    ]
    return total, dict(per), new_list, lost_true


def recommendation_groups(findings: list[dict], min_sites: int = GROUP_MIN_SITES) -> list[list[dict]]:
    """The default report as a reader sees it (render.common.finding_groups, on the JSON form): a
    pattern repeated at `min_sites` places or more (same concern, rule and severity) is one
    recommendation listing its sites, the calls on one client object (the same `group`) counting
    with the pattern of the first of them; below that, the calls on one client object are one
    recommendation from two on, and any other site is one recommendation."""
    return [[lead, *others] for lead, others in site_groups(
        findings, lambda f: (f.get("concern"), f.get("rule"), f.get("severity")), made_at, min_sites)]


def made_at(f: dict) -> tuple | None:
    """Where the client object a finding's call goes through is made (its `group`), if it has one."""
    group = f.get("group")
    if not group:
        return None
    location = group.get("location") or {}
    return f.get("concern"), f.get("rule"), location.get("path"), location.get("start_line"), group.get("code")


def _majority(votes: list[str]) -> str:
    """The verdict most votes gave; a tie is a nit (the reader would act on part of it only)."""
    ranked = sorted(VERDICTS, key=lambda v: -votes.count(v))
    tied = [v for v in VERDICTS if votes.count(v) == votes.count(ranked[0])]
    return ranked[0] if len(tied) == 1 else "nit"


def _unit_votes(sites: list[dict], verdict_of: dict[int, str]) -> list[str]:
    """One vote per change a reader makes: the calls on one client object (two or more here) are one
    change where it is made, true when any labelled call is (the change is worth making if one call
    needs it), else the verdict most of them got; every other labelled site votes for itself."""
    objects: dict[tuple, list[dict]] = defaultdict(list)
    for f in sites:
        if made_at(f) is not None:
            objects[made_at(f)].append(f)
    shared = {key for key, calls in objects.items() if len(calls) > 1}
    votes = [verdict_of[id(f)] for f in sites if id(f) in verdict_of and made_at(f) not in shared]
    for key in shared:
        calls = [verdict_of[id(f)] for f in objects[key] if id(f) in verdict_of]
        if calls:
            votes.append("true" if "true" in calls else _majority(calls))
    return votes


def score_groups(findings: list[dict], labels: list[dict], slack: int) -> dict:
    """One verdict per recommendation: the one most of its changes got (a tie is a nit), where the
    calls on one client object are one change, true when any of its labelled calls is. A
    recommendation with no labelled site is unlabelled. TRIAGE.md: "a pattern repeated at forty
    places is one finding with forty sites". `at_construction` counts the recommendations that are
    one client object's calls; `client_objects` the objects listed in any recommendation."""
    pairs, _, _ = match(findings, labels, slack)
    verdict_of = {id(f): lab["verdict"] for f, lab in pairs}
    row = {"recommendations": 0, "unlabelled": 0, "at_construction": 0, "client_objects": 0,
           **{v: 0 for v in VERDICTS}}
    for sites in recommendation_groups(findings):
        row["recommendations"] += 1
        objects = Counter(made_at(f) for f in sites if made_at(f) is not None)
        row["client_objects"] += sum(1 for n in objects.values() if n > 1)
        row["at_construction"] += len(sites) > 1 and len(objects) == 1 and objects.most_common(1)[0][1] == len(sites)
        votes = _unit_votes(sites, verdict_of)
        if not votes:
            row["unlabelled"] += 1
            continue
        row[_majority(votes)] += 1
    return row


def cell_key(f: dict) -> str:
    return f"{finding_key(f)} @ {f.get('reach') or 'unknown'}"


def confidence_key(f: dict) -> str:
    return f"{cell_key(f)} ({f.get('confidence') or 'unknown'})"


def reach_rows(findings, labels, slack, key=cell_key, matched=None) -> dict[str, dict]:
    """Every finding's verdict counted per concern and reach (request, command, task, script,
    unknown): where a rule is right and where it is not, for gating by reach later; with
    `key=confidence_key`, also per the confidence the rule gave it there. `matched`: the
    result of `match` for these findings, when the caller already has it."""
    pairs, new, _ = matched if matched is not None else match(findings, labels, slack)
    rows: dict[str, dict] = defaultdict(empty_row)
    for f in findings:
        rows[key(f)]["findings"] += 1
    for f, lab in pairs:
        row = rows[key(f)]
        row["labelled"] += 1
        row[lab["verdict"]] += 1
    for f in new:
        rows[key(f)]["new"] += 1
    return {k: finish(row) for k, row in rows.items()}


# --------------------------------------------------------------------------- output

# (row key, column heading): one table, so keys and headings cannot drift apart
COLUMNS = (
    ("findings", "findings"),
    ("true", "true"),
    ("nit", "nit"),
    ("false", "false"),
    ("unsure", "unsure"),
    ("labelled", "labelled"),
    ("precision", "prec"),
    ("false_back", "false back"),
    ("true_lost", "true lost"),
    ("new", "new"),
)


def fmt_row(name: str, row: dict, width: int) -> str:
    cells = []
    for c, _ in COLUMNS:
        v = row.get(c)
        if c == "precision":
            cells.append("-" if v is None else f"{100 * v:.0f}%")
        else:
            cells.append(str(v if v is not None else 0))
    return f"{name:<{width}} " + " ".join(
        f"{c:>{max(len(h), 5)}}" for c, (_, h) in zip(cells, COLUMNS)
    )


def header(width: int, first: str) -> str:
    return f"{first:<{width}} " + " ".join(f"{h:>{max(len(h), 5)}}" for _, h in COLUMNS)


def print_table(title: str, total: dict, per: dict) -> None:
    width = max([len("TOTAL"), len("concern")] + [len(k) for k in per]) + 1
    print(header(width, "concern"))
    for name in sorted(per, key=lambda k: (-per[k]["findings"], k)):
        print(fmt_row(name, per[name], width))
    print(fmt_row("TOTAL", total, width))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--labels",
        type=Path,
        default=HERE / "labels",
        help="directory of <owner>+<name>.yaml labels files "
        "(default: benchmarks/triage/labels)",
    )
    ap.add_argument(
        "--repos",
        type=Path,
        default=Path("/work/corpus"),
        help="directory holding the repositories as <owner>+<name>/ at their "
        "pinned commits (default: /work/corpus)",
    )
    ap.add_argument(
        "--servicelens",
        default=None,
        help="servicelens CLI to run (default: the one in this Python's venv)",
    )
    ap.add_argument(
        "--half",
        choices=("dev", "test", "validation", "all"),
        default="all",
        help="which half of the corpus to run (default: all)",
    )
    ap.add_argument(
        "--repo",
        action="append",
        default=[],
        help="only this repository (owner/name); repeatable",
    )
    ap.add_argument(
        "--line-slack",
        type=int,
        default=0,
        help="when matching by (file, concern, line), accept a line this far "
        "off (default 0)",
    )
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per review")
    ap.add_argument(
        "--from-reports",
        type=Path,
        default=None,
        help="score the reviews saved by an earlier --save-reports in this directory instead of "
        "running servicelens (labels re-matched as they are now; e.g. to write precision.yaml "
        "from the measured build's run after labelling its new findings)",
    )
    ap.add_argument(
        "--save-reports",
        type=Path,
        default=None,
        help="also write each repository's review (JSON, extended profile) to "
        "DIR/<owner>+<name>.json, with each finding's label (verdict, why) when it has one",
    )
    ap.add_argument(
        "--json", action="store_true", help="machine-readable output on stdout"
    )
    ap.add_argument(
        "--by-reach",
        action="store_true",
        help="also print, per half, every finding's precision per concern and reach",
    )
    ap.add_argument(
        "--write-precision",
        type=Path,
        default=None,
        help="write each concern's measured precision per half (every finding, "
        "extended profile) to this YAML file, e.g. src/servicelens/data/precision.yaml",
    )
    ap.add_argument(
        "--concern",
        action="append",
        default=[],
        help="with --write-precision: re-measure only this concern as precision.yaml names it "
        "(`race-condition` for Python, `missing-timeout [javascript]` for JS/TS; repeatable): only the "
        "development and test repositories with a label of it are reviewed, its entries in the file are "
        "replaced and every other entry is kept as written",
    )
    args = ap.parse_args(argv)
    if args.concern and args.write_precision is None:
        print("error: --concern re-measures part of a precision file: pass --write-precision", file=sys.stderr)
        return 2

    servicelens = args.servicelens or default_servicelens()
    if not Path(servicelens).exists() and not shutil.which(servicelens):
        print(
            f"error: servicelens CLI not found at {servicelens}; pass --servicelens",
            file=sys.stderr,
        )
        return 2
    if not args.labels.is_dir():
        print(f"error: labels directory {args.labels} does not exist", file=sys.stderr)
        return 2
    labelsets = load_labels(args.labels, args.half)
    if args.repo:
        labelsets = [ls for ls in labelsets if ls["repo"] in args.repo]
    if args.concern:
        # a repository none of whose labels names the concern adds nothing to its [true, labelled]
        labelsets = [ls for ls in labelsets if ls.get("half") in ("dev", "test")
                     and any(measured_key(str(item.get("concern")), measured_family(str(item.get("file") or "")))
                             in args.concern for item in ls.get("findings") or [])]
    if not labelsets:
        print("error: no labels files match", file=sys.stderr)
        return 2

    results = []
    errors = 0
    for ls in labelsets:
        repo = ls["repo"]
        root = args.repos / repo_dirname(repo)
        target = root / (ls.get("review_root") or "")
        entry = {
            "repo": repo,
            "half": ls.get("half"),
            "commit": ls.get("commit"),
            "review_root": ls.get("review_root") or "",
            "labels_file": ls["_path"],
            "sampled": ls.get("sampled"),
        }
        if not target.is_dir() and args.from_reports is None:
            entry["error"] = (
                f"{target} not found: export {repo} at {ls.get('commit')} "
                f"into {root} (see README.md)"
            )
            errors += 1
            results.append(entry)
            continue
        try:
            findings = (saved_report(args.from_reports / f"{repo_dirname(repo)}.json") if args.from_reports
                        else review(servicelens, target, args.timeout))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            entry["error"] = str(exc)
            errors += 1
            results.append(entry)
            continue
        labels = ls.get("findings") or []
        if args.save_reports is not None:
            save_report(args.save_reports / f"{repo_dirname(repo)}.json", findings, labels, args.line_slack)
        shown = [f for f in findings if not f.get("held_back")]
        total, per, new, lost = score_repo(shown, labels, args.line_slack)
        entry.update(total=total, concerns=per, new_findings=new, true_lost=lost)
        entry["recommendations"] = score_groups(shown, labels, args.line_slack)
        every_total, every_per, every_new, _ = score_repo(findings, labels, args.line_slack)
        entry["extended"] = {"total": every_total, "concerns": every_per}
        # what the precision gate decides: findings not held back for where their code runs or
        # who may call it (those stay out of the default whatever their rule's precision)
        gated = [f for f in findings if f.get("held_back_by", "") in ("", "precision")]
        gated_total, gated_per, _, _ = score_repo(gated, labels, args.line_slack)
        entry["gated"] = {"total": gated_total, "concerns": gated_per}
        gated_match = match(gated, labels, args.line_slack)  # one matching for both tables
        entry["by_reach"] = {"total": gated_total,
                             "concerns": reach_rows(gated, labels, args.line_slack, matched=gated_match)}
        entry["by_confidence"] = {"total": gated_total, "concerns": reach_rows(gated, labels, args.line_slack,
                                                                               confidence_key, gated_match)}
        entry["new_findings"] = every_new  # unlabelled anywhere in the report: label them all
        results.append(entry)

    halves = sum_halves(results, lambda e: e)
    extended = sum_halves(results, lambda e: e["extended"])
    gated = sum_halves(results, lambda e: e["gated"])
    by_reach = sum_halves(results, lambda e: e["by_reach"])
    by_confidence = sum_halves(results, lambda e: e["by_confidence"])
    recommendations: dict[str, dict] = {}
    for entry in results:
        if "recommendations" in entry:
            add_into(recommendations.setdefault(entry["half"] or "?", {}), entry["recommendations"])
    if args.write_precision is not None:
        write_precision(args.write_precision, gated, by_reach, results, by_confidence,
                        only=frozenset(args.concern))

    if args.json:
        json.dump(
            {"servicelens": f"saved reports in {args.from_reports}" if args.from_reports else servicelens,
             "repos": results, "halves": halves,
             "halves_extended": extended, "halves_by_reach": by_reach,
             "halves_recommendations": recommendations},
            sys.stdout,
            indent=2,
        )
        print()
        return 1 if errors else 0

    print(f"servicelens: {servicelens}")
    print(
        "precision = true / labelled; 'false back' = labelled false and still reported; "
        "'true lost' = labelled true and no longer reported; 'new' = unlabelled\n"
    )
    for entry in results:
        print(
            f"== {entry['repo']} ({entry['half']}) @ {str(entry['commit'])[:12]}"
            f"  review_root={entry['review_root']!r}"
        )
        if "error" in entry:
            print(f"   ERROR: {entry['error']}\n")
            continue
        if entry.get("sampled"):
            print(f"   sampled: {entry['sampled']}")
        print_table(entry["repo"], entry["total"], entry["concerns"])
        print(fmt_row("EXTENDED", entry["extended"]["total"], len("EXTENDED") + 1))
        if entry["true_lost"]:
            print("   labelled-true not in the default report:")
            for lab in entry["true_lost"]:
                print(
                    f"     {lab['file']}:{lab['line']} {lab['concern']}  ({lab['why']})"
                )
        if entry["new_findings"]:
            print("   unlabelled new findings (label them):")
            for f in entry["new_findings"]:
                print(
                    f"     {f['file']}:{f['line']} {f['concern']} [{f['severity']}] "
                    f"{f['title']}  fp={f['fingerprint']}"
                )
        print()
    for name in sorted(halves):
        print(f"== TOTAL half={name}, default report")
        print_table(name, halves[name]["total"], halves[name]["concerns"])
        groups = recommendations.get(name, {})
        print(f"   as recommendations (a repeated pattern, or a client object's calls, counted once): "
              f"{groups.get('recommendations', 0)} ({groups.get('at_construction', 0)} at a client object's construction, "
              f"{groups.get('client_objects', 0)} client objects listed), "
              + ", ".join(f"{v} {groups.get(v, 0)}" for v in (*VERDICTS, "unlabelled")))
        print()
        print(f"== TOTAL half={name}, extended profile (every finding: each rule's precision)")
        print_table(name, extended[name]["total"], extended[name]["concerns"])
        print()
        if args.by_reach:
            print(f"== TOTAL half={name}, every finding per concern and reach")
            print_table(name, by_reach[name]["total"], by_reach[name]["concerns"])
            print()
    return 1 if errors else 0


def sum_halves(results: list[dict], part) -> dict[str, dict]:
    """Per half: the total row and one row per concern, summed over its repositories."""
    halves: dict[str, dict] = {}
    for entry in results:
        if "total" not in entry:
            continue
        h = halves.setdefault(entry["half"] or "?", {"total": empty_row(), "concerns": {}})
        add_into(h["total"], part(entry)["total"])
        for c, row in part(entry)["concerns"].items():
            add_into(h["concerns"].setdefault(c, empty_row()), row)
    for h in halves.values():
        finish(h["total"])
        for row in h["concerns"].values():
            finish(row)
    return halves


def write_precision(path: Path, gated: dict[str, dict], by_reach: dict[str, dict], results: list[dict],
                    by_confidence: dict[str, dict] | None = None, only: frozenset[str] = frozenset()) -> None:
    """What servicelens's default profile reads (data/profile.yaml says how): per concern,
    per concern and reach, and per concern, reach and confidence where a cell's labelled
    findings came at more than one confidence, per half, true findings over labelled ones,
    counted over every finding the precision gate decides (`held_back_by` empty or
    "precision"; findings held back for where their code runs or who may call it are not
    shown either way). With `only`, the results measured those concerns alone: their entries are
    replaced and the file's other entries (and its list of repositories) are kept."""
    concerns: dict[str, dict] = {}
    cells: dict[str, dict] = {}
    for half in ("test", "dev"):
        for concern, row in (gated.get(half) or {}).get("concerns", {}).items():
            if row["labelled"]:
                concerns.setdefault(concern, {})[half] = [row["true"], row["labelled"]]
        for cell, row in (by_reach.get(half) or {}).get("concerns", {}).items():
            if row["labelled"]:
                cells.setdefault(cell, {})[half] = [row["true"], row["labelled"]]
    cells.update(split_by_confidence(by_confidence or {}))
    repos = sorted(f"{e['repo']}@{str(e['commit'])[:12]} ({e['half']})" for e in results
                   if "total" in e and e["half"] in ("test", "dev"))  # validation never feeds the gate
    if only:
        previous = (yaml.safe_load(path.read_text("utf-8")) or {}) if path.is_file() else {}
        repos = list(previous.get("repositories") or [])
        concerns = {**_entries_not_of(previous.get("concerns"), only),
                    **{k: v for k, v in concerns.items() if base_concern(k) in only}}
        cells = {**_entries_not_of(previous.get("cells"), only),
                 **{k: v for k, v in cells.items() if base_concern(k) in only}}
    header = (
        "# Written by benchmarks/triage/run_triage.py --write-precision; do not edit by hand.\n"
        "# Per concern, per concern @ reach, per concern @ reach (confidence) where a cell's labelled\n"
        "# findings came at more than one confidence, and corpus half: [true, labelled] over every\n"
        "# finding the precision gate decides (extended profile, less those held back for where\n"
        "# their code runs or who may call it).\n"
        "# Read by servicelens's default profile (data/profile.yaml).\n"
    )
    lines = ["repositories:"] + [f"  - {json.dumps(r)}" for r in repos] + ["concerns:"]
    for concern, halves in sorted(concerns.items()):
        name = json.dumps(concern) if " " in concern else concern  # `missing-timeout [javascript]`
        lines.append(f"  {name}: {{{', '.join(f'{h}: {v}' for h, v in halves.items())}}}")
    lines.append("cells:")
    for cell, halves in sorted(cells.items()):
        lines.append(f"  {json.dumps(cell)}: {{{', '.join(f'{h}: {v}' for h, v in halves.items())}}}")
    kept = kept_keys(path.read_text("utf-8") if path.is_file() else "", "\n".join(lines) + "\n")
    lines.append("# measured under the threshold, kept because the gate being replaced admitted them and their")
    lines.append("# labels leave the threshold plausible (analysis/profiles.stays_admitted)")
    lines.append("kept:" + ("" if kept else " []"))
    lines += [f"  - {json.dumps(key)}" for key in kept]
    body = "\n".join(lines) + "\n"
    path.write_text(header + body, encoding="utf-8")
    written = policy_from(header + body)
    print(f"prior strengths these measurements fit (profile.yaml `prior_strength`, set by hand): "
          f"{fitted_strengths(written.measured, written.family_of)}; profile.yaml has {written.levels}",
          file=sys.stderr)


def base_concern(key: str) -> str:
    """The measured concern a key refines: `missing-timeout [javascript]` for
    `missing-timeout [javascript] @ request (high)`."""
    return key.partition(" @ ")[0]


def _entries_not_of(entries: dict | None, only: frozenset[str]) -> dict[str, dict]:
    return {key: {half: list(v) for half, v in halves.items()} for key, halves in (entries or {}).items()
            if base_concern(key) not in only}


def split_by_confidence(by_confidence: dict[str, dict]) -> dict[str, dict]:
    """The confidence sub-cells worth writing: those of cells whose labelled findings (both
    halves together) came at more than one confidence, where the rule's own grading of its
    evidence may separate right findings from wrong ones. A cell of one confidence is its own
    sub-cell and is not written twice."""
    sub: dict[str, dict] = {}
    for half in ("test", "dev"):
        for key, row in (by_confidence.get(half) or {}).get("concerns", {}).items():
            if row["labelled"]:
                sub.setdefault(key, {})[half] = [row["true"], row["labelled"]]
    levels: dict[str, int] = defaultdict(int)
    for key in sub:
        levels[key.rpartition(" (")[0]] += 1
    return {key: halves for key, halves in sub.items() if levels[key.rpartition(" (")[0]] > 1}


def kept_keys(previous_text: str, current_text: str) -> list[str]:
    """The keys the new gate keeps by hysteresis (profiles.stays_admitted), given the text of the
    precision.yaml being replaced and of its replacement's measurements."""
    previous, current = policy_from(previous_text), policy_from(current_text)
    return [key for key in sorted(current.measured) if stays_admitted(previous, current, key)]


if __name__ == "__main__":
    sys.exit(main())
