"""Components and the Mermaid diagram, assembled from the chosen patterns.

A pattern's component with the name of a base component replaces it (sharding turns
"Database" into "N shards by key"), so the diagram always shows the final shape.
"""
from __future__ import annotations

import re
from typing import Any

from servicelens.design.patterns import format_text
from servicelens.model.design import Component

_BASE_EDGES = [["Clients", "Load balancer", "HTTPS"], ["API service", "Database", "SQL"]]


def components(patterns: dict[str, Any], chosen: tuple[str, ...], metrics: dict[str, Any],
               stack_title: str) -> tuple[Component, ...]:
    found: dict[str, Component] = {
        "Clients": Component("Clients", "web, mobile or partner applications", "HTTPS/JSON"),
        "API service": Component("API service", f"stateless HTTP API ({metrics.get('instances', 2):,.0f} instances)", stack_title),
        "Database": Component("Database", "system of record: primary + synchronous standby", "PostgreSQL 16 (relational database)"),
    }
    for pid in chosen:
        for c in patterns[pid].get("components", ()):
            found[c["name"]] = Component(c["name"], format_text(c["role"], metrics),
                                         format_text(c["technology"], metrics))
    order = ["Clients", "CDN", "Load balancer", "API gateway", "WebSocket gateway", "API service"]
    head = [found[k] for k in order if k in found]
    return tuple(head + [c for k, c in found.items() if k not in order])


def edges(patterns: dict[str, Any], chosen: tuple[str, ...], names: set[str]) -> list[tuple[str, str, str]]:
    raw = list(_BASE_EDGES)
    for pid in chosen:
        raw.extend(patterns[pid].get("edges", ()))
    out: list[tuple[str, str, str]] = []
    for a, b, label in raw:
        if a in names and b in names and (a, b, label) not in out:
            if (a, b) == ("Load balancer", "API service") and "API gateway" in names:
                continue
            out.append((a, b, label))
    return out


def mermaid(comps: tuple[Component, ...], links: list[tuple[str, str, str]]) -> str:
    """A flowchart; node ids are derived from names so the text is deterministic."""
    ids = {c.name: _node_id(c.name) for c in comps}
    lines = ["flowchart LR"]
    for c in comps:
        label = f"{c.name}<br/>{c.technology}".replace('"', "'")
        shape = f'[("{label}")]' if c.name in ("Database", "Read replicas") else f'["{label}"]'
        lines.append(f"    {ids[c.name]}{shape}")
    for a, b, label in links:
        arrow = f" -->|{label}| " if label else " --> "
        lines.append(f"    {ids[a]}{arrow}{ids[b]}")
    return "\n".join(lines) + "\n"


def _node_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
