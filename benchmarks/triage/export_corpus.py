"""Export every labelled repository at its pinned commit from bare mirrors, blob by blob.

    python3 benchmarks/triage/export_corpus.py [--labels DIR] [--mirrors DIR] [--repos DIR] [--half dev|test|validation]

A mirror is `<mirrors>/<owner>+<name>/repo` (or `repo/.git`), as the session's fetch tool writes it. `git archive | tar`
was seen to stop part-way without an error when a mirror lacks some blobs (its largest files may be absent), so every
file is written from `git ls-tree -r` + `git cat-file --batch`; a blob the mirror lacks is skipped and counted, and the
count is printed per repository so a missing source file cannot go unnoticed. A finished export leaves `.export_ok`
(commit, files, missing) and is not redone."""
from __future__ import annotations

import argparse
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml


def git_dir(mirrors: Path, slug: str) -> Path:
    base = mirrors / slug / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def blobs(gd: Path, commit: str) -> list[tuple[str, str]]:
    """(sha, path) of every regular file of the commit's tree (symlinks and submodules left out)."""
    listing = subprocess.run(["git", "--git-dir", str(gd), "ls-tree", "-r", "-z", commit], capture_output=True, check=True)
    found = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            found.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    return found


def export(gd: Path, commit: str, dest: Path) -> tuple[int, list[str]]:
    """Write the commit's files under dest; the paths whose blob the mirror lacks."""
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    dest.mkdir(parents=True)
    entries = blobs(gd, commit)
    missing: list[str] = []
    cat = subprocess.Popen(["git", "--git-dir", str(gd), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert cat.stdin is not None and cat.stdout is not None
    for sha, path in entries:
        cat.stdin.write(sha.encode() + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing.append(path)
            continue
        data = cat.stdout.read(int(header[2]))
        cat.stdout.read(1)
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    cat.stdin.close()
    cat.wait()
    (dest / ".export_ok").write_text(f"{commit} {len(entries)} {len(missing)}\n")
    return len(entries), missing


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=here / "labels")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--repos", type=Path, default=Path("/work/corpus"))
    parser.add_argument("--half", choices=("dev", "test", "validation"))
    args = parser.parse_args(argv)
    jobs = []
    for labels in sorted(args.labels.glob("*.yaml")):
        spec = yaml.safe_load(labels.read_text())
        if args.half and spec.get("half") != args.half:
            continue
        jobs.append((labels.stem, spec["commit"]))

    def run(job: tuple[str, str]) -> str:
        slug, commit = job
        dest = args.repos / slug
        if (dest / ".export_ok").is_file() and (dest / ".export_ok").read_text().startswith(commit):
            return f"{slug} already exported"
        gd = git_dir(args.mirrors, slug)
        if not gd.is_dir():
            return f"{slug} NO MIRROR at {gd}"
        try:
            total, missing = export(gd, commit, dest)
        except subprocess.CalledProcessError as error:
            return f"{slug} FAILED: {error.stderr.decode(errors='replace').strip()[:200]}"
        sources = [p for p in missing if p.endswith((".py", ".js", ".ts", ".tsx", ".mjs", ".cjs"))]
        return f"{slug} {total} files, {len(missing)} missing" + (f", SOURCE FILES MISSING: {sources[:5]}" if sources else "")

    failed = 0
    with ThreadPoolExecutor(3) as pool:
        for line in pool.map(run, jobs):
            print(line, flush=True)
            failed += "NO MIRROR" in line or "FAILED" in line or "SOURCE FILES MISSING" in line
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
