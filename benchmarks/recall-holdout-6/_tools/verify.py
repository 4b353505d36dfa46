#!/usr/bin/env python3
"""Sanity checks for the recall-holdout-6 services.

For every service directory holding a planted.yaml:
  * every defect / look-alike names an existing file and a 1-based line that is non-blank,
  * every concern id appears in the concern column of the taxonomy,
  * no (file, line) is both a defect and a look-alike, and no entry is listed twice,
  * counts and sizes are inside the brief (16-20 defects, 26-35 look-alikes,
    1,450-2,250 lines over 15-60 files, planted.yaml excluded),
  * the code carries no words that would give the planted entries away.

Usage: python _tools/verify.py [--taxonomy /work/shared/taxonomy.md]
Exit status is non-zero when any check fails.
"""
import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ENTRY = re.compile(
    r"^\s*-\s*\{file:\s*(?P<file>[^,]+),\s*line:\s*(?P<line>\d+),\s*"
    r"concern:\s*(?P<concern>[a-z0-9-]+),\s*why:\s*\"(?P<why>(?:[^\"\\]|\\.)*)\"\s*\}\s*$"
)
GIVEAWAY = re.compile(r"\b(planted|look-?alike|defect|vulnerab\w*|TODO|FIXME|XXX|insecure|unsafe|bug|buggy|hack|exploit\w*)\b", re.I)
CODE_SUFFIXES = {".py", ".toml", ".txt", ".cfg", ".ini", ".yaml", ".yml", ".json"}


def taxonomy_ids(path: Path) -> set[str]:
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*([a-z0-9-]+)\s*\|", line)
        if m and m.group(1) != "concern":
            ids.add(m.group(1))
    return ids


def parse_planted(path: Path) -> tuple[dict, list[str]]:
    data: dict = {"service": None, "framework": None, "defects": [], "lookalikes": []}
    errors: list[str] = []
    section = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        if raw.startswith("service:"):
            data["service"] = raw.split(":", 1)[1].strip()
        elif raw.startswith("framework:"):
            data["framework"] = raw.split(":", 1)[1].strip()
        elif raw.rstrip() in ("defects:", "lookalikes:"):
            section = raw.rstrip()[:-1]
        else:
            m = ENTRY.match(raw)
            if not m or section is None:
                errors.append(f"{path}:{n}: unparseable line: {raw.strip()[:80]}")
                continue
            entry = m.groupdict()
            entry["line"] = int(entry["line"])
            entry["file"] = entry["file"].strip()
            data[section].append(entry)
    if not data["service"]:
        errors.append(f"{path}: missing service:")
    if not data["framework"]:
        errors.append(f"{path}: missing framework:")
    return data, errors


def check_service(root: Path, ids: set[str]) -> tuple[list[str], dict]:
    planted = root / "planted.yaml"
    data, errors = parse_planted(planted)
    if data["service"] and data["service"] != root.name:
        errors.append(f"{planted}: service '{data['service']}' != directory '{root.name}'")
    seen: dict[tuple[str, int], str] = {}
    for kind in ("defects", "lookalikes"):
        for e in data[kind]:
            where = f"{root.name}/{e['file']}:{e['line']} ({kind[:-1]}, {e['concern']})"
            if e["concern"] not in ids:
                errors.append(f"{where}: concern not in taxonomy")
            src = root / e["file"]
            if not src.is_file():
                errors.append(f"{where}: file missing")
                continue
            lines = src.read_text(encoding="utf-8").splitlines()
            if not 1 <= e["line"] <= len(lines):
                errors.append(f"{where}: line out of range (file has {len(lines)})")
            elif not lines[e["line"] - 1].strip():
                errors.append(f"{where}: line is blank")
            if not e["why"].strip():
                errors.append(f"{where}: empty why")
            key = (e["file"], e["line"])
            if key in seen:
                errors.append(f"{where}: same file:line already listed as {seen[key]}")
            seen[key] = f"{kind[:-1]} {e['concern']}"

    files = [p for p in root.rglob("*") if p.is_file() and p.name != "planted.yaml"
             and "__pycache__" not in p.parts]
    total_lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    stats = {
        "files": len(files),
        "lines": total_lines,
        "defects": len(data["defects"]),
        "lookalikes": len(data["lookalikes"]),
    }
    if not 16 <= stats["defects"] <= 20:
        errors.append(f"{root.name}: {stats['defects']} defects, want 16-20")
    if not 26 <= stats["lookalikes"] <= 35:
        errors.append(f"{root.name}: {stats['lookalikes']} look-alikes, want 26-35")
    if not 15 <= stats["files"] <= 60:
        errors.append(f"{root.name}: {stats['files']} files, want 15-60")
    if not 1450 <= stats["lines"] <= 2250:
        errors.append(f"{root.name}: {stats['lines']} lines, want 1450-2250")
    for p in files:
        if p.suffix not in CODE_SUFFIXES:
            continue
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
            if GIVEAWAY.search(line):
                errors.append(f"{p.relative_to(HERE)}:{n}: give-away word: {line.strip()[:80]}")
    return errors, stats


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--taxonomy", default="/work/shared/taxonomy.md")
    args = ap.parse_args()
    ids = taxonomy_ids(Path(args.taxonomy))
    if not ids:
        print(f"no concern ids found in {args.taxonomy}")
        return 2
    services = sorted(p.parent for p in HERE.glob("*/planted.yaml"))
    if not services:
        print("no planted.yaml found")
        return 2
    failed = False
    for root in services:
        errors, stats = check_service(root, ids)
        status = "ok" if not errors else f"{len(errors)} problem(s)"
        print(f"{root.name}: {stats['files']} files, {stats['lines']} lines, "
              f"{stats['defects']} defects, {stats['lookalikes']} look-alikes: {status}")
        for err in errors:
            print(f"  - {err}")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
