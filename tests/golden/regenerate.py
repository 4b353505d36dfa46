"""Rewrite tests/golden/findings.tsv from today's code: `python -m tests.golden.regenerate`.
Run it when findings change on purpose, and review the diff like any other change."""
from __future__ import annotations

from tests.golden.findings import GOLDEN_FILE, current_lines, render


def main() -> None:
    lines = current_lines()
    GOLDEN_FILE.write_text(render(lines), encoding="utf-8")
    print(f"wrote {len(lines)} lines to {GOLDEN_FILE}")


if __name__ == "__main__":
    main()
