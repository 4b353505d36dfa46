#!/usr/bin/env python3
"""Check the planted.yaml files of recall-holdout-7.

For every entry: the file exists, the line exists and is not blank, and the
concern id is one of taxonomy.md's ids. Prints file:line and the line itself
so a human can review each site.

usage: python3 _tools/verify.py [--taxonomy PATH] [--quiet] [service ...]
"""
import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_TAXONOMY = Path("/work/shared/taxonomy.md")
ENTRY_RE = re.compile(r"^\s*-\s*\{file:\s*(?P<file>[^,]+),\s*line:\s*(?P<line>\d+),\s*concern:\s*(?P<concern>[a-z0-9-]+),\s*why:\s*(?P<why>\".*\")\}\s*$")


def taxonomy_ids(path):
    ids = set()
    for row in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*([a-z][a-z0-9-]+)\s*\|", row)
        if m and m.group(1) != "concern":
            ids.add(m.group(1))
    return ids


def parse_planted(path):
    """Tiny parser for the fixed planted.yaml layout (PyYAML is used as a cross-check if present)."""
    section, entries, header = None, [], {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        if raw.startswith("defects:"):
            section = "defects"
            continue
        if raw.startswith("lookalikes:"):
            section = "lookalikes"
            continue
        if section is None:
            key, _, value = raw.partition(":")
            header[key.strip()] = value.strip()
            continue
        m = ENTRY_RE.match(raw)
        if not m:
            raise ValueError(f"{path}:{lineno}: cannot parse entry: {raw}")
        entries.append((section, m.group("file").strip(), int(m.group("line")), m.group("concern")))
    try:
        import yaml

        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert len(doc["defects"]) + len(doc["lookalikes"]) == len(entries), "yaml/regex entry count mismatch"
        assert doc["service"] == path.parent.name, "service name must equal the directory name"
    except ImportError:
        pass
    return header, entries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--taxonomy", type=Path, default=DEFAULT_TAXONOMY)
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("services", nargs="*")
    args = ap.parse_args()

    ids = taxonomy_ids(args.taxonomy)
    services = args.services or sorted(p.parent.name for p in HERE.glob("*/planted.yaml"))
    errors = 0
    for service in services:
        root = HERE / service
        header, entries = parse_planted(root / "planted.yaml")
        seen = set()
        counts = {"defects": 0, "lookalikes": 0}
        print(f"== {service} ({header.get('framework', '')[:70]}...)")
        for section, file, line, concern in entries:
            counts[section] += 1
            tag = "D" if section == "defects" else "L"
            problem = None
            target = root / file
            if concern not in ids:
                problem = f"unknown concern id {concern!r}"
            elif not target.is_file():
                problem = "file does not exist"
            else:
                lines = target.read_text(encoding="utf-8").splitlines()
                if line < 1 or line > len(lines):
                    problem = f"line out of range (file has {len(lines)} lines)"
                elif not lines[line - 1].strip():
                    problem = "line is blank"
            if (file, line) in seen:
                problem = problem or "duplicate file:line"
            seen.add((file, line))
            if problem:
                errors += 1
                print(f"  ERROR {tag} {file}:{line} [{concern}] {problem}")
            elif not args.quiet:
                text = target.read_text(encoding="utf-8").splitlines()[line - 1].strip()
                print(f"  {tag} {file}:{line} [{concern}] {text[:110]}")
        print(f"  {counts['defects']} defects, {counts['lookalikes']} look-alikes")
    if errors:
        print(f"{errors} error(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
