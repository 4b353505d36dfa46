"""Reading contract documents and following `$ref`s across the project's files.

    OpenApiDoc(rel, root YNode, version) <- read_document(rel, text)
    Resolver.resolve(node, rel) -> Target(node, rel, key_line) following $ref chains

References resolve among `Project.files` by relative path (never by reading the disk),
so `./schemas/user.yaml#/User` works offline. A reference that cannot be followed is
recorded once as an `unresolved-ref` diagnostic and the review continues without it.
The Resolver caches parsed files: it is created per run and never shared.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import unquote

from servicelens.infra.yamldoc import ParseProblem, YNode, load_documents
from servicelens.model.report import Diagnostic

MAX_HOPS = 32


@dataclass(frozen=True, slots=True)
class OpenApiDoc:
    rel: str
    root: YNode
    version: str  # "2.0" | "3.0" | "3.1"
    lines: list[str]

    def key_line(self, key: str) -> int:
        node = self.root.key_node(key)
        return node.line if node is not None else 1

    @property
    def is_swagger(self) -> bool:
        return self.version == "2.0"


@dataclass(frozen=True, slots=True)
class Target:
    node: YNode
    rel: str
    key_line: int  # line of the key that names the target (`User:`), else the node's line
    name: str = ""  # last pointer segment (`User`), "" when not reached through a $ref


def parse_yaml_or_json(text: str) -> tuple[YNode | None, ParseProblem | None]:
    """Compose a YAML or JSON document; tabs (legal JSON whitespace) are turned into spaces.
    Without a document, the problem says why (invalid, or refused by the YAML budget)."""
    docs, problems = load_documents(text)
    if not docs and problems and problems[0].kind == "parse-error" and "\t" in text:
        docs, problems = load_documents(text.replace("\t", " "))
    if docs:
        return docs[0], None
    return None, problems[0] if problems else None


def unreadable(rel: str, problem: ParseProblem | None) -> Diagnostic:
    """The diagnostic for a contract or $ref target that could not be read: the same for both,
    so a file that is both is reported once."""
    if problem is not None and problem.kind == "yaml-budget":
        return Diagnostic(rel, "yaml-budget", f"contract not reviewed: YAML over budget: {problem.message}",
                          problem.line)
    return Diagnostic(rel, "parse-error", f"contract could not be read: {problem.message if problem else 'empty document'}")


def read_document(rel: str, text: str) -> tuple[OpenApiDoc | None, Diagnostic | None]:
    root, problem = parse_yaml_or_json(text)
    if root is None or not root.is_map:
        return None, unreadable(rel, problem) if root is None else Diagnostic(
            rel, "parse-error", "contract could not be read: not a mapping")
    raw = (root.get("openapi") or root.get("swagger"))
    if raw is None:
        return None, None  # sniffed by a nested key (a package-lock.json): not a contract at all
    version_text = raw.text() or ""
    if version_text.startswith("2"):
        version = "2.0"
    elif version_text.startswith("3.1"):
        version = "3.1"
    elif version_text.startswith("3"):
        version = "3.0"
    else:
        return None, Diagnostic(rel, "unmodelled", f"unsupported contract version {version_text!r}")
    return OpenApiDoc(rel, root, version, text.splitlines()), None


class Resolver:
    """Follows `$ref` inside and across files. Holds a per-run parse cache and its diagnostics."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = texts
        self._roots: dict[str, YNode | None] = {}
        self.diagnostics: dict[tuple[str, str], Diagnostic] = {}

    def add_root(self, rel: str, root: YNode) -> None:
        self._roots[rel] = root

    def resolve(self, node: YNode, rel: str) -> Target:
        """The node a `$ref` chain ends at (or `node` itself when it is not a reference)."""
        current, where, key_line, name = node, rel, node.line, ""
        for _ in range(MAX_HOPS):
            ref = current.get("$ref") if current.is_map else None
            text = ref.text() if ref is not None else None
            if not text:
                return Target(current, where, key_line, name)
            found = self._follow(text, where, ref.line)  # type: ignore[union-attr]
            if found is None:
                return Target(current, where, key_line, name)
            current, where, key_line, name = found.node, found.rel, found.key_line, found.name
        self._problem(rel, node.line, "$ref chain too long or circular", "circular")
        return Target(current, where, key_line, name)

    def _follow(self, ref: str, rel: str, line: int) -> Target | None:
        file_part, _, pointer = ref.partition("#")
        if re.match(r"^[a-z][a-z0-9+.-]*://", file_part):
            self._problem(rel, line, f"remote $ref {ref!r} is not fetched (the review works offline)", ref)
            return None
        target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(file_part))) if file_part else rel
        root = self._root(target_rel)
        if root is None:
            refused = target_rel in self._texts
            where = "could not be read (see its diagnostic)" if refused else "is not in the reviewed tree"
            self._problem(rel, line, f"$ref {ref!r}: file {target_rel!r} {where}", ref)
            return None
        found = _pointer(root, pointer)
        if found is None:
            self._problem(rel, line, f"$ref {ref!r}: nothing at #{pointer} in {target_rel}", ref)
            return None
        node, key_line, name = found
        return Target(node, target_rel, key_line, name)

    def _root(self, rel: str) -> YNode | None:
        if rel not in self._roots:
            text = self._texts.get(rel)
            root, problem = parse_yaml_or_json(text) if text is not None else (None, None)
            self._roots[rel] = root
            if root is None and text is not None:
                self.diagnostics.setdefault((rel, "(unreadable)"), unreadable(rel, problem))
        return self._roots[rel]

    def _problem(self, rel: str, line: int, message: str, key: str) -> None:
        self.diagnostics.setdefault((rel, key), Diagnostic(rel, "unresolved-ref", message, line))


def _pointer(root: YNode, pointer: str) -> tuple[YNode, int, str] | None:
    node, key_line, name = root, root.line, ""
    for raw in [p for p in pointer.split("/") if p][:64]:
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if node.is_map:
            key = node.key_node(part)
            value = node.get(part)
            if value is None or key is None:
                return None
            node, key_line, name = value, key.line, part
        elif node.is_seq and part.isdigit() and int(part) < len(node.items()):
            node = node.items()[int(part)]
            key_line, name = node.line, part
        else:
            return None
    return node, key_line, name
