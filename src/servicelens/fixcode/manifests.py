"""Manifest fixes placed where they go: under the finding's own container or service."""
from __future__ import annotations


def under(header: str, block: str) -> str:
    """`block` nested under `header` ("- name: api", "api:"): the entry the finding is about,
    so the fix says which container or service it belongs to."""
    pad = "  "
    return header + "\n" + "\n".join(pad + line if line else line for line in block.split("\n"))


def in_container(name: str, block: str) -> str:
    return under(f"- name: {name}", block)


def probe_command(base: str, port: str, path: str = "/healthz") -> str:
    """A HEALTHCHECK command the image can run: slim Python and Node images have no wget or
    curl, so they probe with their own runtime; busybox (alpine) has wget."""
    url = f"http://127.0.0.1:{port}{path}"
    image = base.lower()
    if image.startswith(("python", "pypy")) or "/python" in image:
        return f"CMD python -c \"import urllib.request; urllib.request.urlopen('{url}', timeout=2)\" || exit 1"
    if image.startswith("node") or "/node" in image:
        return f"CMD node -e \"fetch('{url}').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))\""
    if "alpine" in image:
        return f"CMD wget -qO- {url} || exit 1"
    return f"CMD curl -fsS {url} || exit 1"


def after_line(anchor: str, block: str, unchanged: str = "# ... steps in between unchanged") -> str:
    """`block` shown below the Dockerfile line it follows (the stage's FROM, its EXPOSE), so
    the fix says where it goes."""
    return f"{anchor}\n{unchanged}\n{block}" if unchanged else f"{anchor}\n{block}"


def without_capabilities(removed: list[str], kept: list[str], kubernetes: bool) -> str:
    """Capabilities with the root-equivalent ones taken out: all dropped, only `kept` added back."""
    why = f"{', '.join(removed)} removed: root on the host in all but name"
    listed = ", ".join(kept)
    if kubernetes:
        add = f"\n    add: [{listed}]  # {why}" if kept else f"  # no add: {why}"
        return f"securityContext:\n  capabilities:\n    drop: [ALL]{add}"
    add = f"\ncap_add: [{listed}]  # {why}" if kept else f"  # no cap_add: {why}"
    return f"cap_drop: [ALL]{add}"
