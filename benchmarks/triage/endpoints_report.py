#!/usr/bin/env python3
"""Summarise servicelens's endpoint inventory for each labelled repository.

The triage labels judge findings; the inventory (every endpoint and who may call it) is
judged by readers in each labels file's `endpoints_check`. This prints, per repository,
what that reader would look at: how many endpoints, how many per auth status, what kinds
of evidence decided them, how many paths were left unresolved, and a few samples per
status, so a change to the endpoint model can be compared before and after.

    .venv/bin/python benchmarks/triage/endpoints_report.py --half dev|test|validation|all [--repo owner/name] [--json]

Pure stdlib + PyYAML; runs `servicelens review <root> --format json --no-cache --quiet
--profile extended` like run_triage.py.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
UNRESOLVED_PATH = re.compile(r"^\((registered elsewhere|bound in urls\.py|bound in .*|operationId not found.*)\)$")
SAMPLES_PER_STATUS = 4


def servicelens_cli() -> str:
    return str(Path(sys.executable).parent / "servicelens")


def labelled_repos(labels_dir: Path, half: str, only: list[str]) -> list[tuple[str, str]]:
    """(owner/name, review_root) of each labels file of the half, in name order."""
    found = []
    for path in sorted(labels_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "repo" not in data or (half != "all" and data.get("half") != half):
            continue
        if only and data["repo"] not in only:
            continue
        found.append((data["repo"], data.get("review_root") or ""))
    return found


def review(cli: str, root: Path) -> dict:
    done = subprocess.run([cli, "review", str(root), "--format", "json", "--no-cache", "--quiet",
                           "--profile", "extended"], capture_output=True, text=True, check=False)
    if not done.stdout.strip():
        raise RuntimeError(f"servicelens produced no report for {root}: {done.stderr[-500:]}")
    return json.loads(done.stdout)


def endpoints_of(report: dict) -> list[dict]:
    services = (report.get("overview") or {}).get("services") or []
    return [endpoint for service in services for endpoint in service.get("endpoints") or []]


def evidence_kind(evidence: str) -> str:
    """A coarse label for what decided an endpoint's auth, from its evidence text."""
    text = evidence.lower()
    for kind, needle in (("public-by-design", "public by design"), ("request-hook", "before_request hook"),
                         ("inherited-decorator", "decorators of base class"),
                         ("library-permission", "checks the caller's permission"), ("middleware", "middleware"),
                         ("settings-default", "default_permission"), ("settings-default", "drf default"),
                         ("permission-class", "permission"), ("router", "router"), ("dependency", "depends"),
                         ("dependency", "relies on"), ("inline", "handler refuses"), ("openapi", "openapi"),
                         ("decorator", "@"), ("scheme", "security scheme")):
        if needle in text:
            return kind
    return "other" if text else "(none)"


def summary(endpoints: list[dict]) -> dict:
    statuses = Counter(e.get("auth", "") for e in endpoints)
    kinds = Counter(f"{e.get('auth')}:{evidence_kind(e.get('auth_evidence', ''))}" for e in endpoints)
    unresolved = Counter(m.group(1).split(" ")[0] + " " + m.group(1).split(" ")[1]
                         for e in endpoints if (m := UNRESOLVED_PATH.match(e.get("path", ""))))
    shape = shape_counts(endpoints)
    samples: dict[str, list[str]] = {}
    for endpoint in endpoints:
        shown = samples.setdefault(endpoint.get("auth", ""), [])
        if len(shown) < SAMPLES_PER_STATUS:
            shown.append(f"{endpoint.get('method')} {endpoint.get('path')} <- {endpoint.get('handler')}"
                         f" [{(endpoint.get('auth_evidence') or '')[:90]}]")
    return {"count": len(endpoints), "statuses": dict(statuses), "evidence_kinds": dict(kinds),
            "unresolved_paths": dict(unresolved), "shape": shape, "samples": samples}


def shape_counts(endpoints: list[dict]) -> dict[str, int]:
    """What a reader of the inventory checks first: endpoints without a URL path, endpoints
    answering any method (`*`), and (method, path) pairs listed more than once."""
    pairs = Counter((e.get("method"), e.get("path")) for e in endpoints if (e.get("path") or "").startswith("/"))
    return {"without_path": sum(1 for e in endpoints if not (e.get("path") or "").startswith("/")),
            "any_method": sum(1 for e in endpoints if e.get("method") == "*"),
            "repeated_routes": sum(n - 1 for n in pairs.values() if n > 1)}


def print_summary(repo: str, found: dict) -> None:
    print(f"== {repo}: {found['count']} endpoints")
    print("   auth:", ", ".join(f"{k} {v}" for k, v in sorted(found["statuses"].items())))
    print("   evidence:", ", ".join(f"{k} {v}" for k, v in sorted(found["evidence_kinds"].items())))
    print("   shape:", ", ".join(f"{k} {v}" for k, v in sorted(found["shape"].items())))
    if found["unresolved_paths"]:
        print("   unresolved paths:", ", ".join(f"{k} {v}" for k, v in sorted(found["unresolved_paths"].items())))
    for status, lines in sorted(found["samples"].items()):
        for line in lines:
            print(f"   [{status}] {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=HERE / "labels")
    parser.add_argument("--repos", type=Path, default=Path("/work/corpus"))
    parser.add_argument("--half", choices=("dev", "test", "validation", "all"), default="dev")
    parser.add_argument("--repo", action="append", default=[])
    parser.add_argument("--servicelens", default=servicelens_cli())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    failed = False
    for repo, root in labelled_repos(args.labels, args.half, args.repo):
        where = args.repos / repo.replace("/", "+") / root
        try:
            results[repo] = summary(endpoints_of(review(args.servicelens, where)))
        except (RuntimeError, json.JSONDecodeError) as error:
            print(f"!! {repo}: {error}", file=sys.stderr)
            failed = True
            continue
        if not args.json:
            print_summary(repo, results[repo])
    if args.json:
        print(json.dumps(results, indent=1, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
