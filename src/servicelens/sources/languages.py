"""What kind of file this is: a language to parse, an infrastructure document, a manifest."""
from __future__ import annotations

import re
from pathlib import PurePosixPath

CODE_EXTENSIONS = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".java": "java", ".go": "go",
}
MANIFEST_NAMES = {
    "requirements.txt", "requirements.in", "pyproject.toml", "setup.py", "setup.cfg",
    "Pipfile", "poetry.lock", "package.json", "pom.xml", "build.gradle", "build.gradle.kts",
    "go.mod",
}
_COMPOSE_NAME = re.compile(r"^(docker-)?compose(\.[\w-]+)*\.ya?ml$")
_YAML_TOP_KEY = re.compile(r"^(openapi|swagger|apiVersion|kind|services)\s*:", re.MULTILINE)


# Rules are measured per language family on the triage corpus: a rule right on Django code
# says nothing about the same concern's rule on Express code. Python code and the documents
# every language shares (Dockerfiles, compose, Kubernetes, OpenAPI, manifests) are the family
# the corpus began with, named "" so that their measurements keep the concern's plain name.
_MEASURED_FAMILY = {"python": "", "javascript": "javascript", "typescript": "javascript",
                    "java": "java", "go": "go"}


def measured_family(rel: str) -> str:
    """The family a finding at `rel` is measured with: "" (Python and shared documents),
    "javascript" (JS and TS share their rules), "java", "go"."""
    return _MEASURED_FAMILY.get(CODE_EXTENSIONS.get(PurePosixPath(rel).suffix.lower(), ""), "")


def kind_of_path(rel: str) -> str | None:
    """Kind from the name alone; None means 'sniff the content' or 'not ours'."""
    name = PurePosixPath(rel).name
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix in CODE_EXTENSIONS:
        return CODE_EXTENSIONS[suffix]
    if name == "Dockerfile" or name.startswith("Dockerfile.") or suffix == ".dockerfile" \
            or name.endswith(".Dockerfile"):
        return "dockerfile"
    if _COMPOSE_NAME.match(name):
        return "compose"
    if name in MANIFEST_NAMES or re.match(r"requirements[\w.-]*\.txt$", name):
        return "manifest"
    if suffix in {".graphql", ".graphqls", ".gql"}:
        return "graphql"
    if suffix == ".prisma":
        return "prisma"  # a Prisma schema: the models and columns JS/TS code reads through its client
    if suffix == ".sql":
        return "sql"  # a schema or migration: the tables, keys and unique constraints raw SQL code relies on
    if suffix in {".yaml", ".yml", ".json"}:
        return "sniff"
    return None


def sniff_document(text: str, suffix: str) -> str | None:
    """Classify a YAML/JSON file by its top-level keys: openapi, kubernetes, compose."""
    head = text[:20000]
    if suffix == ".json":
        # a top-level key: at the first nesting level of the object, not anywhere in the file
        if re.match(r'\s*\{\s*(?:"[^"]*"\s*:\s*(?:"[^"]*"|[\d.]+|true|false|null)\s*,\s*)*"(openapi|swagger)"\s*:', head):
            return "openapi"
        return None
    keys = {m.group(1) for m in _YAML_TOP_KEY.finditer(head)}
    if "openapi" in keys or "swagger" in keys:
        return "openapi"
    if "apiVersion" in keys and "kind" in keys:
        return "kubernetes"
    if "services" in keys and re.search(r"^\s+(image|build)\s*:", head, re.MULTILINE):
        return "compose"
    return None
