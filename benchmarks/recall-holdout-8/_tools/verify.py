#!/usr/bin/env python3
"""Check the planted.yaml files of recall-holdout-8.

For every entry: the file exists, the 1-based line exists and is not blank, and
the concern id is one of taxonomy.md's ids. Prints file:line and the text on the
line so a human can confirm it is the intended line, then per-concern counts.
Also parses every .py file and flags giveaway words in comments.

usage: python3 _tools/verify.py [--taxonomy PATH] [--quiet] [service ...]
"""
import argparse
import ast
import collections
import io
import pathlib
import re
import sys
import tokenize

HERE = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_TAXONOMY = pathlib.Path("/work/shared/taxonomy.md")
ENTRY = re.compile(
    r'^\s*-\s*\{file:\s*(?P<file>[^,]+),\s*line:\s*(?P<line>\d+),\s*concern:\s*(?P<concern>[a-z0-9-]+),'
    r'\s*why:\s*"(?P<why>(?:[^"\\]|\\.)*)"\s*\}\s*$'
)
GIVEAWAYS = re.compile(r"\b(vulnerab\w*|bug|planted|look-?alike|todo fix|insecure|injection|unsafe)\b", re.I)


def taxonomy_ids(path):
    ids = set()
    for row in path.read_text().splitlines():
        m = re.match(r"^\|\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*\|", row)
        if m and m.group(1) != "concern":
            ids.add(m.group(1))
    return ids


def parse_planted(path):
    section, header, entries, errors = None, {}, [], []
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw.strip():
            continue
        if raw.startswith("service:") or raw.startswith("framework:"):
            key, _, value = raw.partition(":")
            header[key] = value.strip().strip('"')
        elif raw.rstrip() in ("defects:", "lookalikes:"):
            section = raw.rstrip()[:-1]
        else:
            m = ENTRY.match(raw)
            if not m or section is None:
                errors.append(f"{path}:{n}: cannot parse: {raw}")
                continue
            entries.append({**m.groupdict(), "kind": section, "line": int(m.group("line"))})
    return header, entries, errors


def comment_giveaways(service_dir):
    hits = []
    for py in sorted(service_dir.rglob("*.py")):
        src = py.read_text()
        try:
            ast.parse(src)
        except SyntaxError as exc:
            hits.append(f"{py.relative_to(HERE)}: does not parse: {exc}")
            continue
        for tok in tokenize.generate_tokens(io.StringIO(src).readline):
            if tok.type == tokenize.COMMENT and GIVEAWAYS.search(tok.string):
                hits.append(f"{py.relative_to(HERE)}:{tok.start[0]}: comment: {tok.string.strip()}")
    for other in sorted(p for p in service_dir.rglob("*") if p.suffix in (".yaml", ".yml", ".html") or p.name == "Dockerfile"):
        if other.name == "planted.yaml":
            continue
        for n, line in enumerate(other.read_text().splitlines(), 1):
            stripped = line.strip()
            if (stripped.startswith("#") or "{#" in stripped or "<!--" in stripped) and GIVEAWAYS.search(stripped):
                hits.append(f"{other.relative_to(HERE)}:{n}: comment: {stripped}")
    return hits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--taxonomy", type=pathlib.Path, default=DEFAULT_TAXONOMY)
    ap.add_argument("--quiet", action="store_true", help="only print problems and counts")
    ap.add_argument("services", nargs="*")
    args = ap.parse_args()

    ids = taxonomy_ids(args.taxonomy)
    if not ids:
        sys.exit(f"no concern ids found in {args.taxonomy}")
    services = args.services or sorted(p.parent.name for p in HERE.glob("*/planted.yaml"))
    problems = []
    for name in services:
        sdir = HERE / name
        header, entries, errors = parse_planted(sdir / "planted.yaml")
        problems += errors
        if header.get("service") != name:
            problems.append(f"{name}: service field is {header.get('service')!r}")
        seen = {}
        counts = {"defects": collections.Counter(), "lookalikes": collections.Counter()}
        print(f"== {name}: {header.get('framework', '')}")
        for e in entries:
            where = f"{name}/{e['file']}:{e['line']}"
            if e["concern"] not in ids:
                problems.append(f"{where}: unknown concern {e['concern']}")
            target = sdir / e["file"]
            if not target.is_file():
                problems.append(f"{where}: no such file")
                continue
            lines = target.read_text().splitlines()
            if not 1 <= e["line"] <= len(lines):
                problems.append(f"{where}: line out of range (file has {len(lines)})")
                continue
            text = lines[e["line"] - 1]
            if not text.strip():
                problems.append(f"{where}: blank line")
            key = (e["file"], e["line"])
            if key in seen and seen[key] != e["kind"]:
                problems.append(f"{where}: listed as both a defect and a look-alike")
            seen[key] = e["kind"]
            counts[e["kind"] + "s" if not e["kind"].endswith("s") else e["kind"]][e["concern"]] += 1
            if not args.quiet:
                tag = "D" if e["kind"] == "defects" else "L"
                print(f"  [{tag}] {where} ({e['concern']})\n        {text.strip()}")
        problems += comment_giveaways(sdir)
        for kind, counter in counts.items():
            print(f"  {kind}: {sum(counter.values())}  " + ", ".join(f"{c}={n}" for c, n in sorted(counter.items())))
    if problems:
        print("\nPROBLEMS:")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
