"""Check the planted.yaml files of recall-node-holdout-4.

For every entry: the file exists, the line exists and is not blank, and the
concern id is one of taxonomy.md's ids. Prints file:line and the line text so a
human can confirm each entry points at the intended code.

Usage: python3 _tools/verify.py [--quiet] [path/to/taxonomy.md]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_TAXONOMY = pathlib.Path("/work/shared/taxonomy.md")
ENTRY = re.compile(
    r"^\s*-\s*\{file:\s*(?P<file>[^,]+),\s*line:\s*(?P<line>\d+),\s*concern:\s*(?P<concern>[a-z0-9-]+),\s*why:\s*\"(?P<why>(?:[^\"\\]|\\.)*)\"\}\s*$"
)


def taxonomy_ids(path: pathlib.Path) -> set:
    ids = set()
    for row in path.read_text().splitlines():
        m = re.match(r"^\|\s*([a-z0-9-]+)\s*\|", row)
        if m and m.group(1) != "concern":
            ids.add(m.group(1))
    return ids


def check_service(service_dir: pathlib.Path, ids: set, quiet: bool) -> int:
    errors = 0
    section = None
    counts = {"defects": 0, "lookalikes": 0}
    seen = set()
    text = (service_dir / "planted.yaml").read_text().splitlines()
    if not text or text[0] != f"service: {service_dir.name}":
        print(f"{service_dir.name}: first line must be 'service: {service_dir.name}'")
        errors += 1
    for raw in text:
        if raw.startswith("defects:"):
            section = "defects"
            continue
        if raw.startswith("lookalikes:"):
            section = "lookalikes"
            continue
        if not raw.strip().startswith("- "):
            continue
        m = ENTRY.match(raw)
        if not m or section is None:
            print(f"{service_dir.name}: malformed entry: {raw}")
            errors += 1
            continue
        counts[section] += 1
        rel, line_no, concern = m.group("file").strip(), int(m.group("line")), m.group("concern")
        target = service_dir / rel
        tag = f"{service_dir.name}/{rel}:{line_no}"
        if (rel, line_no) in seen:
            print(f"{tag}: listed twice")
            errors += 1
        seen.add((rel, line_no))
        if concern not in ids:
            print(f"{tag}: unknown concern {concern}")
            errors += 1
        if not target.is_file():
            print(f"{tag}: file missing")
            errors += 1
            continue
        lines = target.read_text().splitlines()
        if line_no < 1 or line_no > len(lines):
            print(f"{tag}: line out of range ({len(lines)} lines)")
            errors += 1
            continue
        content = lines[line_no - 1]
        if not content.strip():
            print(f"{tag}: line is blank")
            errors += 1
            continue
        if not quiet:
            print(f"[{section[:-1]:9}] {concern:30} {tag}\n            {content.strip()}")
    print(f"{service_dir.name}: {counts['defects']} defects, {counts['lookalikes']} lookalikes")
    return errors


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in sys.argv
    ids = taxonomy_ids(pathlib.Path(args[0]) if args else DEFAULT_TAXONOMY)
    errors = 0
    for service_dir in sorted(p for p in ROOT.iterdir() if (p / "planted.yaml").is_file()):
        errors += check_service(service_dir, ids, quiet)
    print("OK" if errors == 0 else f"{errors} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
