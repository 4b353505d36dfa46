"""Settings modules: a list setting written back with the missing entry where it belongs.

`MIDDLEWARE = [...]` without `CsrfViewMiddleware` is fixed by that same list, entries and order
as the project has them, with the entry added after the one it must follow.
"""
from __future__ import annotations


def list_with_entry(name: str, entries: tuple[str, ...], entry: str, after: tuple[str, ...]) -> str:
    """`name = [...]` holding `entries` plus `entry`, placed after the last entry that contains
    one of `after` (at the end when none does)."""
    position = max((i + 1 for i, e in enumerate(entries) if any(a in e for a in after)), default=len(entries))
    items = list(entries[:position]) + [entry] + list(entries[position:])
    body = "".join(f'    "{item}",\n' for item in items)
    return f"{name} = [\n{body}]"
