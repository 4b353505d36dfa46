"""Recall on realistic services with planted defects, and silence on correct look-alikes.

Each service directory here holds a `planted.yaml` (written with the service, by an engineer
who had not read the rules): `defects` (file, line, concern) a principal engineer would
comment on, and `lookalikes` (file, line, concern) that are correct code a careless tool
would flag. A defect counts as found when a finding of that concern is within --slack lines
of it in the same file; a look-alike counts as flagged when a finding of its concern is
within 2 lines. Both profiles are run: the default report and the extended one.

    .venv/bin/python benchmarks/recall/run_recall.py [-v]

Once anyone changes a rule because of what they saw here, these services are development
material: say so, and write new held-out ones.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import miss_stages  # noqa: E402 - beside this script


def review(servicelens: str, service: Path, profile: str) -> list[dict]:
    proc = subprocess.run([servicelens, "review", str(service), "-f", "json", "-q", "--no-cache",
                           "--profile", profile], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"review of {service} failed: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)["findings"]


def near(finding: dict, item: dict, slack: int) -> bool:
    where = finding["location"]
    return (finding["concern"] == item["concern"] and where["path"] == item["file"]
            and abs(where["start_line"] - item["line"]) <= slack)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servicelens", default=str(Path(sys.executable).with_name("servicelens")))
    parser.add_argument("--slack", type=int, default=10, help="lines between a defect and its finding")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and flagged look-alikes")
    parser.add_argument("--services", type=Path, default=HERE,
                        help="directory of services, each with a planted.yaml (default: this one)")
    parser.add_argument("--external", action="append", default=[], metavar="NAME=DIR",
                        help="a fetched application exported at DIR, keyed by <services>/NAME.planted.yaml "
                        "(its code is never committed); repeatable")
    parser.add_argument("--stages", action="store_true",
                        help="for every missed defect, the pipeline stage that lost it (miss_stages.py), "
                        "counted per stage and concern; per defect only with -v")
    parser.add_argument("--blind", action="store_true",
                        help="held-out sets: print counts only, never a file, line or planted text (implies not -v)")
    args = parser.parse_args(argv)
    if args.blind:
        args.verbose = False
    stage_rows: list[tuple[str, str]] = []
    stage_flagged: list[str] = []
    stage_silent = 0
    stage_layers: list[tuple[str, str, str]] = []
    totals: dict[str, list[int]] = {}
    services = [(p, p / "planted.yaml") for p in sorted(args.services.iterdir()) if (p / "planted.yaml").is_file()]
    for spec in args.external:
        name, _, where = spec.partition("=")
        key = args.services / f"{name}.planted.yaml"
        if not key.is_file() or not Path(where).is_dir():
            parser.error(f"--external {spec}: needs {key} and an exported directory {where}")
        services.append((Path(where), key))
    for service, planted_file in services:
        planted = yaml.safe_load(planted_file.read_text("utf-8"))
        for profile in ("default", "extended"):
            findings = review(args.servicelens, service, profile)
            missed = [d for d in planted["defects"] if not any(near(f, d, args.slack) for f in findings)]
            flagged = [item for item in planted["lookalikes"] if any(near(f, item, 2) for f in findings)]
            found = len(planted["defects"]) - len(missed)
            row = totals.setdefault(profile, [0, 0, 0, 0])
            for index, value in enumerate((found, len(planted["defects"]), len(flagged), len(planted["lookalikes"]))):
                row[index] += value
            print(f"{service.name:16} {profile:9} recall {found}/{len(planted['defects'])}  "
                  f"look-alikes flagged {len(flagged)}/{len(planted['lookalikes'])}  findings {len(findings)}")
            if args.verbose and profile == "extended":
                for item in missed:
                    print(f"    missed  {item['concern']:30} {item['file']}:{item['line']}")
                for item in flagged:
                    print(f"    flagged {item['concern']:30} {item['file']}:{item['line']}")
        if args.stages:
            rows, silent, layers = diagnose(service, planted, args.slack, args.verbose)
            stage_rows += rows
            stage_layers += layers
            stage_silent += silent
            stage_flagged += [item["concern"] for item in flagged]
    for profile, (found, defects, flagged, lookalikes) in totals.items():
        print(f"TOTAL {profile:9} recall {found}/{defects} = {found / max(defects, 1):.0%}, "
              f"look-alikes flagged {flagged}/{lookalikes}")
    if args.stages:
        print(miss_stages.aggregate_table(stage_rows, stage_flagged, stage_silent))
        print(f"rule silent (other_*): {miss_stages.layer_counts(stage_layers)}")
        if any(stage.startswith("other") for _, stage, _ in stage_layers):
            print(miss_stages.layer_by_concern(stage_layers))
    return 0


def diagnose(service: Path, planted: dict, slack: int,
             verbose: bool) -> tuple[list[tuple[str, str]], int, list[tuple[str, str, str]]]:
    """(concern, stage) for each defect the in-process extended review misses, and how many
    of them are of a concern reported nowhere in the service."""
    facts = miss_stages.gather(service, planted["defects"], slack)
    rows = []
    layers = []
    silent = 0
    for item in planted["defects"]:
        if any(miss_stages.near(hit, item, slack) for hit in facts.final):
            continue
        stage = miss_stages.classify(item, facts, slack)
        rows.append((item["concern"], stage))
        layers.append((item["concern"], stage, facts.lines[(item["file"], item["line"], item["concern"])].layer))
        silent += miss_stages.silent_in_service(item, facts)
        if verbose:
            line = facts.lines[(item["file"], item["line"], item["concern"])]
            print(f"    stage   {stage:18} {item['concern']:30} {item['file']}:{item['line']}  "
                  f"(reach {line.reach or '-'}, callers {line.callers or '-'}, sink event {line.sink_event}, "
                  f"sink call {line.sink_call})")
    return rows, silent, layers


if __name__ == "__main__":
    sys.exit(main())
