"""What a module imports, read from its text alone: for the project-wide passes that run over every
file's text before any file is parsed (frameworks.project_types, taint.declared_aliases)."""
from __future__ import annotations

import re

_FROM = re.compile(r"(?m)^from\s+(?P<module>\.*[\w.]*)\s+import\s+(?:\((?P<group>[^)]*)\)|(?P<names>[^\n(]+))")


def text_imports(text: str, rel: str, module_name: str) -> dict[str, str]:
    """Local name -> imported dotted name, from the module's `from ... import ...` lines
    (relative ones resolved against its package)."""
    package = module_name if rel.endswith("__init__.py") else module_name.rpartition(".")[0]
    out: dict[str, str] = {}
    for match in _FROM.finditer(text):
        source = match.group("module")
        dots = len(source) - len(source.lstrip("."))
        if dots:
            parts = package.split(".") if package else []
            base = parts[:len(parts) - (dots - 1)] if dots > 1 else parts
            source = ".".join([*base, source[dots:]] if source[dots:] else base)
        for part in (match.group("group") or match.group("names") or "").replace("\n", ",").split(","):
            name, _, alias = part.split("#", 1)[0].strip().partition(" as ")
            if name.isidentifier():
                out[alias.strip() or name] = f"{source}.{name}"
    return out
