"""Line-aware YAML: documents composed into nodes so every finding can name its line.

PyYAML's `safe_load` throws line numbers away; its composer keeps them on every node.
We compose each `---` document separately so one malformed document becomes a
diagnostic while its neighbours are still reviewed, and we read scalars from their
source text (so `5432:5432` stays a port mapping instead of YAML 1.1's base-60 integer).
Every composed document is measured against the file's YAML budget (sources.yaml_budget):
an alias/merge-key bomb or a self-referencing node is refused before anything walks it.

    split_documents(text) -> [Chunk] --compose, check--> YNode tree (+ errors as ParseProblem)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import yaml

from servicelens.sources.yaml_budget import DEFAULT_BUDGET, SAFE_LOADER, YamlBudget, YamlBudgetError, check_node

_DOC_SEPARATOR = re.compile(r"^---(?:[ \t].*)?$|^\.\.\.\s*$", re.MULTILINE)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_BOOL_TRUE = {"true", "yes", "on", "y"}
_BOOL_FALSE = {"false", "no", "off", "n"}


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a document could not be read, with the 1-based line where the parser stopped.
    `kind` is "parse-error" for invalid YAML, "yaml-budget" for a document refused by the budget."""

    line: int
    message: str
    kind: str = "parse-error"


@dataclass(frozen=True, slots=True)
class YNode:
    """A composed YAML node plus the line offset of the document it came from."""

    node: yaml.Node
    offset: int = 0

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 + self.offset

    @property
    def end_line(self) -> int:
        mark = self.node.end_mark
        last = mark.line if mark.column == 0 and mark.line > self.node.start_mark.line else mark.line + 1
        return last + self.offset

    @property
    def is_map(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.node, yaml.SequenceNode)

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode)

    def _wrap(self, node: yaml.Node) -> YNode:
        return YNode(node, self.offset)

    def entries(self) -> Iterator[tuple[str, YNode, YNode]]:
        """(key text, key node, value node) for a mapping, merge keys (`<<`) expanded last."""
        if not self.is_map:
            return
        merged: list[yaml.Node] = []
        seen: set[str] = set()
        for key, value in self.node.value:
            if key.tag == _MERGE_TAG or (isinstance(key, yaml.ScalarNode) and key.value == "<<"):
                merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
                continue
            text = key.value if isinstance(key, yaml.ScalarNode) else ""
            seen.add(text)
            yield text, self._wrap(key), self._wrap(value)
        for source in merged:
            for text, key, value in self._wrap(source).entries():
                if text not in seen:
                    seen.add(text)
                    yield text, key, value

    def get(self, key: str) -> YNode | None:
        found = self._own_pair(key)
        if found is not None:
            return self._wrap(found[1]) if found else None
        for text, _, value in self.entries():
            if text == key:
                return value
        return None

    def key_node(self, key: str) -> YNode | None:
        found = self._own_pair(key)
        if found is not None:
            return self._wrap(found[0]) if found else None
        for text, key_node, _ in self.entries():
            if text == key:
                return key_node
        return None

    def _own_pair(self, key: str) -> tuple[yaml.Node, ...] | None:
        """The mapping's own (key, value) nodes for `key` without building every entry
        (lookups in a 3,000-path contract are hot); () when absent, None when only merge
        keys (`<<`) could still supply it, so the caller takes the full `entries()` path."""
        if not self.is_map:
            return ()
        has_merge = False
        for k, v in self.node.value:
            if k.tag == _MERGE_TAG or (isinstance(k, yaml.ScalarNode) and k.value == "<<"):
                has_merge = True
            elif (k.value if isinstance(k, yaml.ScalarNode) else "") == key:
                return (k, v)
        return None if has_merge else ()

    def path(self, *keys: str) -> YNode | None:
        node: YNode | None = self
        for key in keys:
            node = node.get(key) if node is not None else None
        return node

    def items(self) -> list[YNode]:
        return [self._wrap(n) for n in self.node.value] if self.is_seq else []

    def text(self) -> str | None:
        """The scalar's source text; None for null, mappings and sequences."""
        if not self.is_scalar or self.node.tag == "tag:yaml.org,2002:null":
            return None
        return str(self.node.value)

    @property
    def is_reset(self) -> bool:
        """A compose `!reset` value: it removes the key from the merged configuration."""
        return self.node.tag == "!reset"

    def as_bool(self) -> bool | None:
        value = (self.text() or "").lower()
        if value in _BOOL_TRUE:
            return True
        if value in _BOOL_FALSE:
            return False
        return None

    def as_int(self) -> int | None:
        value = (self.text() or "").strip().replace("_", "")
        try:
            return int(value, 10)
        except ValueError:
            return None

    def strings(self) -> list[str]:
        """A scalar or a list of scalars as strings (YAML lets many fields be either)."""
        if self.is_seq:
            return [t for t in (i.text() for i in self.items()) if t is not None]
        value = self.text()
        return [value] if value is not None else []


@dataclass(frozen=True, slots=True)
class Chunk:
    """One `---` document's text and the 0-based line where it starts in the file."""

    text: str
    offset: int


def split_documents(text: str) -> list[Chunk]:
    """Cut a YAML stream at column-0 `---`/`...` markers (block scalars are always indented)."""
    chunks: list[Chunk] = []
    start, line = 0, 0
    for match in _DOC_SEPARATOR.finditer(text):
        body = text[start:match.start()]
        chunks.append(Chunk(body, line))
        line += body.count("\n")
        if match.group(0).startswith("---"):
            rest = match.group(0)[3:]
            # `--- !tag` or `--- key: v` keep content on the marker line: re-parse it there
            start = match.start() + 3 if rest.strip() else match.end()
        else:
            start = match.end()
    chunks.append(Chunk(text[start:], line))
    return [c for c in chunks if c.text.strip() and not _only_comments(c.text)]


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


@dataclass(frozen=True, slots=True)
class _Spent:
    """What the documents of one file accepted so far cost (the budget is per file)."""

    expanded: int = 0
    written: int = 0


def _compose_within(chunk: Chunk, budget: YamlBudget, spent: _Spent) -> tuple[YNode | ParseProblem | None, _Spent]:
    try:
        node = yaml.compose(chunk.text, Loader=SAFE_LOADER)
        if node is None:
            return None, spent
        shape = check_node(node, budget, spent.expanded, spent.written)
    except YamlBudgetError as exc:
        return ParseProblem(exc.line + chunk.offset, exc.message, "yaml-budget"), spent
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark is not None else 1) + chunk.offset
        return ParseProblem(line, f"{exc.problem or exc.context or 'invalid YAML'}".strip()), spent
    except yaml.YAMLError as exc:
        return ParseProblem(chunk.offset + 1, str(exc).splitlines()[0] if str(exc) else "invalid YAML"), spent
    except RecursionError:
        return ParseProblem(chunk.offset + 1, "document nests too deeply to read"), spent
    return YNode(node, chunk.offset), _Spent(spent.expanded + shape.expanded, spent.written + shape.composed)


def load_documents(text: str, budget: YamlBudget = DEFAULT_BUDGET) -> tuple[list[YNode], list[ParseProblem]]:
    """Every readable document of a stream, and the problems of the unreadable ones.
    The documents share one budget, so a thousand small bombs cost what one may."""
    docs: list[YNode] = []
    problems: list[ParseProblem] = []
    spent = _Spent()
    for chunk in split_documents(text):
        result, spent = _compose_within(chunk, budget, spent)
        if isinstance(result, YNode):
            docs.append(result)
        elif isinstance(result, ParseProblem):
            problems.append(result)
    return docs, problems


def indent_of(lines: list[str], line: int) -> int:
    """Column of the first non-space character of a 1-based line (0 when out of range)."""
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        return len(text) - len(text.lstrip(" -"))
    return 0
