"""Guidance for every concern: what was found, why it matters, how to fix it, with examples.

The text lives in `data/guidance.yaml` (one entry per concern id in `data/taxonomy.yaml`)
so findings, `servicelens explain` and the reports all say the same thing. Each entry has
bad/good examples keyed by framework id (`FRAMEWORKS`); `fix_example` picks the one that
fits the reviewed file, falling back to a close relative (FastAPI -> SQLAlchemy -> plain
Python, NestJS -> Express, ...) and never to another language.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from servicelens.model.concerns import load_taxonomy
from servicelens.packaged_yaml import packaged_yaml

GUIDANCE_FILE = "guidance.yaml"

# Framework ids an example may be keyed by, in the order `servicelens explain` shows them.
FRAMEWORKS: tuple[str, ...] = (
    "flask", "django", "fastapi", "sqlalchemy", "python",
    "express", "nestjs", "spring", "go",
    "dockerfile", "kubernetes", "compose", "openapi",
)

FRAMEWORK_NAMES: Mapping[str, str] = MappingProxyType({
    "flask": "Flask", "django": "Django", "fastapi": "FastAPI", "sqlalchemy": "SQLAlchemy",
    "python": "Python", "express": "Express", "nestjs": "NestJS", "spring": "Spring", "go": "Go",
    "dockerfile": "Dockerfile", "kubernetes": "Kubernetes", "compose": "Docker Compose",
    "openapi": "OpenAPI",
})

# Fence language (and parser family) of each framework's examples.
FRAMEWORK_LANGUAGES: Mapping[str, str] = MappingProxyType({
    "flask": "python", "django": "python", "fastapi": "python", "sqlalchemy": "python",
    "python": "python", "express": "javascript", "nestjs": "typescript", "spring": "java",
    "go": "go", "dockerfile": "dockerfile", "kubernetes": "yaml", "compose": "yaml",
    "openapi": "yaml",
})

# Other names callers may use for a framework id.
_ALIASES: Mapping[str, str] = MappingProxyType({
    "drf": "django", "rest_framework": "django", "django-rest-framework": "django",
    "starlette": "fastapi", "flask-sqlalchemy": "flask", "quart": "flask",
    "py": "python", "python3": "python",
    "node": "express", "nodejs": "express", "javascript": "express", "js": "express",
    "typescript": "nestjs", "ts": "nestjs",
    "java": "spring", "spring-boot": "spring", "springboot": "spring",
    "golang": "go", "gin": "go", "echo": "go", "chi": "go",
    "docker": "dockerfile", "containerfile": "dockerfile",
    "k8s": "kubernetes", "helm": "kubernetes",
    "docker-compose": "compose",
    "swagger": "openapi", "oas": "openapi",
})

# Where to look, in order, when a concern has no example for the requested framework.
# Fallbacks stay within one language: a Go file is never shown a Python fix.
_FALLBACKS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "flask": ("flask", "sqlalchemy", "python"),
    "django": ("django", "python"),
    "fastapi": ("fastapi", "sqlalchemy", "python"),
    "sqlalchemy": ("sqlalchemy", "fastapi", "python"),
    "python": ("python", "sqlalchemy"),
    "express": ("express",),
    "nestjs": ("nestjs", "express"),
    "spring": ("spring",),
    "go": ("go",),
    "dockerfile": ("dockerfile",),
    "kubernetes": ("kubernetes",),
    "compose": ("compose",),
    "openapi": ("openapi",),
})

_TEXT_FIELDS = ("title", "what", "why", "fix")


class GuidanceError(ValueError):
    """guidance.yaml does not match the taxonomy or is malformed; the message says where."""


@dataclass(frozen=True, slots=True)
class Example:
    bad: str
    good: str


@dataclass(frozen=True, slots=True)
class Guidance:
    concern: str
    title: str
    what: str
    why: str
    fix: str
    examples: Mapping[str, Example]
    references: tuple[str, ...]


def normalize_framework(framework: str) -> str:
    """The framework id for a name such as 'Django', 'drf' or 'k8s'; '' when unknown."""
    name = framework.strip().lower()
    name = _ALIASES.get(name, name)
    return name if name in _FALLBACKS else ""


@lru_cache(maxsize=1)
def load_guidance() -> Mapping[str, Guidance]:
    """Every concern's guidance, read once; raises GuidanceError if the data is inconsistent."""
    text = resources.files("servicelens.data").joinpath(GUIDANCE_FILE).read_text("utf-8")
    return parse_guidance(packaged_yaml(text), load_taxonomy().ids())


def parse_guidance(raw: Any, concern_ids: tuple[str, ...]) -> Mapping[str, Guidance]:
    """Validate raw guidance data against the taxonomy's concern ids and build the entries.

    Every problem found is reported at once, so one run tells the author everything to fix.
    """
    if not isinstance(raw, dict):
        raise GuidanceError(f"{GUIDANCE_FILE}: expected a mapping of concern id to guidance")
    problems: list[str] = []
    missing = [cid for cid in concern_ids if cid not in raw]
    unknown = sorted(str(cid) for cid in raw if cid not in concern_ids)
    if missing:
        problems.append(f"no guidance for concern(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"guidance for unknown concern id(s) not in taxonomy.yaml: {', '.join(unknown)}")
    entries: dict[str, Guidance] = {}
    for cid in concern_ids:
        if cid in raw:
            entry = _entry(cid, raw[cid], problems)
            if entry is not None:
                entries[cid] = entry
    if problems:
        raise GuidanceError(f"{GUIDANCE_FILE} is invalid:\n  - " + "\n  - ".join(problems))
    return MappingProxyType(entries)


def _entry(cid: str, row: Any, problems: list[str]) -> Guidance | None:
    if not isinstance(row, dict):
        problems.append(f"{cid}: expected a mapping")
        return None
    start = len(problems)
    allowed = set(_TEXT_FIELDS) | {"examples", "references"}
    extra = sorted(str(k) for k in row if k not in allowed)
    if extra:
        problems.append(f"{cid}: unknown field(s) {', '.join(extra)}")
    texts: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        value = row.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{cid}: '{name}' must be a non-empty string")
        else:
            texts[name] = " ".join(value.split())
    examples = _examples(cid, row.get("examples"), problems)
    references = row.get("references")
    if not isinstance(references, list) or not references or not all(
            isinstance(url, str) and url.startswith("https://") for url in references):
        problems.append(f"{cid}: 'references' must be a non-empty list of https:// URLs")
        references = []
    if len(problems) > start:
        return None
    return Guidance(concern=cid, examples=examples, references=tuple(references), **texts)


def _examples(cid: str, raw: Any, problems: list[str]) -> Mapping[str, Example]:
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{cid}: 'examples' must map at least one framework to bad/good code")
        return MappingProxyType({})
    found: dict[str, Example] = {}
    for framework, pair in raw.items():
        if framework not in FRAMEWORK_LANGUAGES:
            problems.append(f"{cid}: unknown example framework '{framework}' "
                            f"(use one of: {', '.join(FRAMEWORKS)})")
            continue
        if not isinstance(pair, dict) or set(pair) != {"bad", "good"} or not all(
                isinstance(pair[k], str) and pair[k].strip() for k in ("bad", "good")):
            problems.append(f"{cid}: example '{framework}' needs non-empty 'bad' and 'good' code and nothing else")
            continue
        found[framework] = Example(bad=pair["bad"], good=pair["good"])
    ordered = {fw: found[fw] for fw in FRAMEWORKS if fw in found}
    return MappingProxyType(ordered)


def resolve_example(concern: str, framework: str) -> tuple[str, Example] | None:
    """The framework id actually used and its example, or None when nothing fits.

    Raises KeyError for a concern id that is not in the taxonomy (a programming error).
    """
    guidance = load_guidance()
    if concern not in guidance:
        raise KeyError(f"unknown concern id {concern!r}")
    examples = guidance[concern].examples
    for candidate in _FALLBACKS.get(normalize_framework(framework), ()):
        if candidate in examples:
            return candidate, examples[candidate]
    return None


def fix_example(concern: str, framework: str) -> Example | None:
    """The example to show for `concern` in a file written with `framework`.

    Falls back within the same language (fastapi -> sqlalchemy -> python, django -> python,
    python -> sqlalchemy, nestjs -> express); an unknown or empty framework gets None
    rather than a guess.
    """
    found = resolve_example(concern, framework)
    return found[1] if found else None


def example_language(framework: str) -> str:
    """The code-fence language for a framework's examples ('' when unknown)."""
    return FRAMEWORK_LANGUAGES.get(normalize_framework(framework), "")


__all__ = ["Example", "FRAMEWORKS", "FRAMEWORK_LANGUAGES", "FRAMEWORK_NAMES", "Guidance",
           "GuidanceError", "example_language", "fix_example", "load_guidance",
           "normalize_framework", "parse_guidance", "resolve_example"]
