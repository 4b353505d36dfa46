"""The Django settings module of a review rooted inside the project, read from above the root.

    webodm/manage.py         os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webodm.settings")
    webodm/webodm/settings.py   REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": [...]}
    webodm/app/               <- the review root

A review of one package (`app/`) does not hold the settings module, so nobody could tell what
REST framework's DEFAULT_PERMISSION_CLASSES or the MIDDLEWARE list say, and every view without
its own permission classes stayed unknown. Django finds its settings through
`DJANGO_SETTINGS_MODULE`, which the project's `manage.py`, `wsgi.py`/`asgi.py` or env files set:
the same directories above the root a tsconfig is looked for in (`sources/above_root.py`) are
searched for that declaration, the dotted module is resolved from the directory that declares it,
and the module is read with the modules it star-imports (`from .base import *`, how settings are
split per environment), for their settings only (`frameworks/django_settings.settings_facts`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterator, Sequence

from servicelens import ir
from servicelens.analysis.facts import FileFacts
from servicelens.frameworks.django_settings import settings_facts
from servicelens.lang.python.lower import lower_module, module_name_for
from servicelens.sources.above_root import directories_above
from servicelens.sources.parsing import ParserPool

_DECLARATION = re.compile(r"""DJANGO_SETTINGS_MODULE["']?\s*[,:=]\s*["']?([A-Za-z_][\w.]*)""")
_DECLARING_FILES = ("manage.py", ".env", "*.env", ".env.*", "*/wsgi.py", "*/asgi.py")
_MAX_BYTES = 524_288
_STAR_DEPTH = 3  # settings that star-import settings that star-import ...


_DJANGO_PACKAGES = ("django", "rest_framework")


def with_settings_above(facts: Sequence[FileFacts], root: Path) -> list[FileFacts]:
    """The facts, and, when they hold Django code but no settings module, one more holding only
    the settings of the project's settings module above `root` (its `rel` says where it is)."""
    facts = list(facts)
    if any(("django_settings_module", "1") in fact.settings for fact in facts) or not any(
            fact.language == "python" and any(i.split(".")[0] in _DJANGO_PACKAGES for i in fact.imports)
            for fact in facts):
        return facts
    parsers = ParserPool()

    def lower(rel: str, text: str) -> ir.Module:
        tree = parsers.parse("python", text.encode("utf-8", "surrogateescape"))
        return lower_module(tree.root_node, rel, tuple(text.splitlines()))

    found = settings_modules_above(root, lower)
    pairs = tuple(pair for _, module in found for pair in settings_facts(module, "\n".join(module.lines)))
    if not any(pair == ("django_settings_module", "1") for pair in pairs):
        return facts
    rel = found[-1][0]
    return facts + [FileFacts(rel=f"(above the review root) {rel}", language="python", lines=0,
                              module_name=module_name_for(rel), imports=(), summaries=(), routes=(), findings=(),
                              diagnostics=(), suppressions=(), settings=pairs)]


def settings_modules_above(root: Path, lower: Callable[[str, str], ir.Module]) -> list[tuple[str, ir.Module]]:
    """(path relative to the directory declaring it, lowered module) of the settings module a
    `DJANGO_SETTINGS_MODULE` above `root` names, then of what it star-imports; [] when none is
    found. `lower(rel, text)` parses a Python file."""
    for here in directories_above(root):
        for name in _declared(here):
            path = _module_file(here, name)
            if path is not None:
                return list(_with_star_imports(here, path, lower, 0, set()))
    return []


def _declared(here: Path) -> Iterator[str]:
    """Settings module names the files of `here` (and its packages' wsgi/asgi) declare, manage.py first."""
    for pattern in _DECLARING_FILES:
        for path in sorted(here.glob(pattern)):
            if path.is_file() and path.stat().st_size <= _MAX_BYTES:
                yield from _DECLARATION.findall(path.read_text(encoding="utf-8", errors="replace"))


def _module_file(here: Path, dotted: str) -> Path | None:
    base = here.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file() and candidate.stat().st_size <= _MAX_BYTES:
            return candidate
    return None


def _with_star_imports(here: Path, path: Path, lower: Callable[[str, str], ir.Module], depth: int,
                       seen: set[Path]) -> Iterator[tuple[str, ir.Module]]:
    if path in seen or depth > _STAR_DEPTH:
        return
    seen.add(path)
    rel = path.relative_to(here).as_posix()
    module = lower(rel, path.read_text(encoding="utf-8", errors="replace"))
    # star-imported first: the module's own assignments come after them and win
    for imported in module.imports:
        # `from .base import *` is lowered with its target resolved against the module's package
        target = _module_file(here, imported.target) if imported.local == "*" else None
        if target is not None:
            yield from _with_star_imports(here, target, lower, depth + 1, seen)
    yield rel, module
