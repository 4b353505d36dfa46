"""Manifest fixes placed where they go: under the finding's own container or service."""
from __future__ import annotations


def under(header: str, block: str) -> str:
    """`block` nested under `header` ("- name: api", "api:"): the entry the finding is about,
    so the fix says which container or service it belongs to."""
    pad = "  "
    return header + "\n" + "\n".join(pad + line if line else line for line in block.split("\n"))


def in_container(name: str, block: str) -> str:
    return under(f"- name: {name}", block)
