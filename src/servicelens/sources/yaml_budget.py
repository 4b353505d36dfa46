"""YAML under a budget: aliases and merge keys may share nodes, never multiply the work.

PyYAML composes `*alias` and `<<: *anchor` as references to one shared node, so composing
is linear in the text. Everything that walks the node graph afterwards (construction,
merge-key expansion, the analyses) pays once per *use*: ten aliases of ten aliases of ...
(a "billion laughs") make nine lines cost a billion visits, and a node that contains
itself (`web: &w {<<: *w}`, `&s [*s]`) makes every walk recurse until Python gives up.

So every YAML document the tool reads is measured right after composition, in one pass
over its distinct nodes (linear, memoised by node identity):

    composed  what the text itself spells out
    expanded  what a walker visits when every alias and merge use is followed
    depth     the nesting a walker reaches through those uses
    cycle     a node reachable from itself

and is refused, as a `YamlBudgetError` naming the line, when it is cyclic, nests deeper
than `max_depth`, or expands beyond `floor + ratio * composed`. The allowance grows with
the text, so the work per file stays proportional to its size; the floor keeps small,
legitimately anchor-heavy files (compose `x-common` blocks) far from the limit. Long
scalars weigh what the lines they span would (a 1 MB string aliased a thousand times is
a gigabyte to scan), so aliasing big strings is bounded too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml composes ~10x faster; the pure-Python loader gives identical nodes and marks
    SAFE_LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    SAFE_LOADER = yaml.SafeLoader

_SCALAR_CHARS_PER_UNIT = 80  # a long scalar weighs one unit per line's worth of characters
_CAP = 1 << 62  # expanded weights stop growing here: the verdict is the same, the arithmetic stays cheap


@dataclass(frozen=True, slots=True)
class YamlBudget:
    """How much walking one YAML file may cost.

    Defaults: real documents expand by a small factor (a compose file merging a 30-node
    `x-common` block into 50 services expands ~6x, and stays far below the floor anyway);
    at the limits a review spends roughly a second per file on alias expansion
    (about 5 microseconds per visited node across the infrastructure checks). libyaml
    already refuses text nested more than 1,000 levels; 256 is far beyond real documents
    (deep CRD schemas reach ~60) and keeps recursive walkers well inside Python's stack.
    """

    floor: int = 200_000
    ratio: int = 10
    max_depth: int = 256

    def allowance(self, composed: int) -> int:
        return self.floor + self.ratio * composed


DEFAULT_BUDGET = YamlBudget()


class YamlBudgetError(yaml.YAMLError):
    """A document refused by the budget; `line` is 1-based within the text that was composed."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Shape:
    """One document's measured cost. The `*_line`s are 1-based, 0 when there is none:
    `over_line` is the first node (children before parents) expanding beyond the limit
    `measure` was given, i.e. where a blow-up happens rather than merely the document's top."""

    composed: int
    expanded: int
    depth: int
    cycle_line: int = 0
    deep_line: int = 0
    over_line: int = 0


def _own_weight(node: yaml.Node) -> int:
    if isinstance(node, yaml.ScalarNode):
        return 1 + len(node.value) // _SCALAR_CHARS_PER_UNIT
    return 1


def measure(root: yaml.Node, max_depth: int = DEFAULT_BUDGET.max_depth, limit: int = _CAP) -> Shape:
    """Composed and expanded weight, expanded depth, and the first cycle: one iterative
    depth-first pass over distinct nodes, so a bomb costs what its text costs.

    Scalars (most nodes) are weighed in place instead of being pushed. A long scalar counts
    its full weight as composed once; a further use of it is an alias, a few characters of
    text, and counts 1, so aliasing a long string cannot raise its own allowance."""
    expanded: dict[int, int] = {}
    depth: dict[int, int] = {}
    long_scalars: set[int] = set()
    on_path = {id(root)}
    composed, over_line = 0, 0
    # frame: [node, pending children, expanded weight of children so far, deepest child so far]
    stack: list[list[Any]] = [[root, iter(_children_list(root)), 0, 0]]
    while stack:
        frame = stack[-1]
        child = next(frame[1], None)
        if child is not None:
            if isinstance(child, yaml.ScalarNode):
                weight = 1 + len(child.value) // _SCALAR_CHARS_PER_UNIT
                if weight > 1 and id(child) in long_scalars:
                    composed += 1
                else:
                    composed += weight
                    if weight > 1:
                        long_scalars.add(id(child))
                frame[2] += weight
                frame[3] = max(frame[3], 1)
                continue
            key = id(child)
            if key in expanded:
                frame[2] = min(_CAP, frame[2] + expanded[key])
                frame[3] = max(frame[3], depth[key])
                continue
            if key in on_path:
                return Shape(composed, 0, len(stack), cycle_line=child.start_mark.line + 1)
            if len(stack) >= max_depth:
                return Shape(composed, 0, len(stack) + 1, deep_line=child.start_mark.line + 1)
            on_path.add(key)
            stack.append([child, iter(_children_list(child)), 0, 0])
            continue
        node, _, below, deepest = stack.pop()
        key = id(node)
        on_path.discard(key)
        own = _own_weight(node)
        composed += own
        total = min(_CAP, own + below)
        expanded[key], depth[key] = total, deepest + 1
        if deepest + 1 > max_depth:
            return Shape(composed, total, deepest + 1, deep_line=node.start_mark.line + 1)
        if not over_line and total > limit:
            over_line = node.start_mark.line + 1
        if stack:
            parent = stack[-1]
            parent[2] = min(_CAP, parent[2] + total)
            parent[3] = max(parent[3], deepest + 1)
    return Shape(composed, expanded[id(root)], depth[id(root)], over_line=over_line)


def _children_list(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def check_node(root: yaml.Node, budget: YamlBudget = DEFAULT_BUDGET, spent: int = 0,
               written: int = 0) -> Shape:
    """Raise YamlBudgetError when `root` is cyclic, too deep, or (together with `spent`
    expanded weight of earlier documents of the same file, `written` their composed
    weight) expands beyond the file's allowance; else return its shape."""
    shape = measure(root, budget.max_depth)
    if shape.cycle_line:
        raise YamlBudgetError(shape.cycle_line, "a node refers to itself through an alias or merge key "
                                                "(`&a` ... `*a` inside itself), so it cannot be expanded")
    if shape.deep_line:
        raise YamlBudgetError(shape.deep_line, f"nests more than {budget.max_depth} levels deep "
                                               "(counting aliases and merge keys)")
    allowance = budget.allowance(written + shape.composed)
    if spent + shape.expanded > allowance:
        line = measure(root, budget.max_depth, allowance - spent).over_line or root.start_mark.line + 1
        size = f"more than {_CAP:,}" if shape.expanded >= _CAP else f"{shape.expanded:,}"
        raise YamlBudgetError(line, f"aliases and merge keys expand it to {size} nodes from "
                                    f"{shape.composed:,} written (limit {allowance:,}); "
                                    "an alias/merge-key bomb is not expanded")
    return shape


def compose_checked(text: str, budget: YamlBudget = DEFAULT_BUDGET) -> yaml.Node | None:
    """Compose the single document in `text` and check it; raises yaml.YAMLError
    (YamlBudgetError included) for text that is invalid or over budget."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        check_node(node, budget)
    return node


def load_yaml(text: str, budget: YamlBudget = DEFAULT_BUDGET) -> Any:
    """`yaml.safe_load` for text the tool does not control: compose, check, then construct
    from the checked nodes (construction shares aliased objects, so it stays linear)."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_node(node, budget)
        return loader.construct_document(node)
    finally:
        loader.dispose()
