"""Nothing a speed change does may change what is found: today's findings over every
fixture, test project and the example must equal tests/golden/findings.tsv line for line.

When findings change on purpose, regenerate with one command and review the diff:

    python -m tests.golden.regenerate
"""
from __future__ import annotations

from collections import defaultdict

from tests.golden.findings import REGENERATE, current_lines, stored_lines

_KEY_FIELDS = 5  # target, path, rule, concern, line: what identifies a finding in the diff


def _by_key(lines: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        grouped["\t".join(line.split("\t")[:_KEY_FIELDS])].append(line)
    return grouped


def describe_difference(expected: list[str], actual: list[str]) -> str:
    """Added, removed and changed findings, keyed by where they are, so a reader sees at
    once whether a rule lost a finding or only its severity/fingerprint/reason moved."""
    want, got = _by_key(expected), _by_key(actual)
    added, removed, changed = [], [], []
    for key in sorted(set(want) | set(got)):
        before, after = sorted(set(want.get(key, [])) - set(got.get(key, []))), sorted(
            set(got.get(key, [])) - set(want.get(key, [])))
        if before and after:
            changed.extend(f"  - {b}\n  + {a}" for b, a in zip(before, after))
            removed.extend(f"  {b}" for b in before[len(after):])
            added.extend(f"  {a}" for a in after[len(before):])
        else:
            removed.extend(f"  {b}" for b in before)
            added.extend(f"  {a}" for a in after)
    parts = [f"{title} ({len(items)}):\n" + "\n".join(items)
             for title, items in (("added", added), ("removed", removed), ("changed", changed)) if items]
    return "\n".join(parts)


def test_findings_match_golden_file() -> None:
    expected, actual = stored_lines(), current_lines()
    assert expected, f"tests/golden/findings.tsv is missing or empty; create it with `{REGENERATE}`"
    if expected != actual:
        raise AssertionError("findings differ from tests/golden/findings.tsv "
                             f"(if intended, regenerate with `{REGENERATE}` and review the diff):\n"
                             + describe_difference(expected, actual))


def test_difference_is_readable() -> None:
    old = ["t\ta.py\tr\tc\t3\tfp1\thigh\t-", "t\ta.py\tr\tc\t9\tfp2\tlow\t-"]
    new = ["t\ta.py\tr\tc\t3\tfp1\tmedium\t-", "t\tb.py\tr\tc\t1\tfp3\tlow\t-"]
    text = describe_difference(old, new)
    assert "added (1):\n  t\tb.py" in text
    assert "removed (1):\n  t\ta.py\tr\tc\t9" in text
    assert "changed (1):\n  - t\ta.py\tr\tc\t3\tfp1\thigh\t-\n  + t\ta.py\tr\tc\t3\tfp1\tmedium\t-" in text
