"""One file of Python lowered once, in one tree-sitter cursor walk, into flat per-kind tables.

The prototype for issue 14's one-pass design: instead of an object per IR node, every node kind a
rule asks about becomes a row (a plain tuple) in one table, and the context every rule wants
(enclosing function, enclosing loops, enclosing `with` blocks) is a column filled in during the
same walk. Rules are then queries over these tables (queries.py), and a function is looked at
more closely only when a query marks it.

Expressions are kept as *chains*: the left spine of a callee or a value, written as text
(`requests.get`, `Item.objects.filter().get`, `self.session.post`); a node that is neither a
name, an attribute nor a call ends the chain with `?` (`"x".join` -> `?.join`). That is enough
for the rules that match callees by name, and it costs one slice of the source per identifier.

Tables (one tuple per row; column order given by the NamedTuple-free index constants below, so a
row costs one tuple and its strings):
  imports    (local, target)                                 `import a.b as c` -> ("c", "a.b")
  functions  (qualname, name, class, line, end, start_byte, end_byte, decorators, params, async)
             params: (name, annotation chain or "") per parameter
  classes    (qualname, bases, line, end)
  calls      (chain, nargs, keywords, none_keywords, splat, function, loop, line, end, arg0, with_, heads, text)
             keywords: names passed by keyword; none_keywords: those passed a literal None;
             splat: a `**kwargs` is passed (it may carry any keyword); nargs counts `*args` as one;
             loop: innermost enclosing loop row or -1; heads: the first name of each argument's chain;
             text: the literal text the first argument (or `query=`/`sql=`) is written with, when it is
             text (a literal, an f-string's literal parts, the left of `+`/`%`, `text("...")`), else "";
             arg0: the first positional argument's chain or literal kind (`"str"`, `"fstr"`, ...);
             with_: innermost enclosing `with` row or -1
  binds      (function, name, kind, value, line, text)        kind: assign | param | for | with | import
             value: the chain of what is bound (a call's chain ends in `()`), "" when unknown;
             text: as the calls' column, for a bound value written as text
  returns    (function, value chain, line)
  loops      (kind, function, parent, targets, iter_chain, iter_kind, line, end, body_start, body_end)
             kind: for | while | comp; iter_kind: the tree-sitter type of the iterable
  withs      (function, chain, arg0, line, end)               chain of each `with` item's context
  exits      (kind, function, line, block_start, block_end)  return | raise | break
  blocks     (kind, line, end)                                 try bodies (a caught failure moves on)
  strings    (line, start_byte, end_byte)                       string literals, decoded on demand
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_python
from tree_sitter import Language, Node, Query, QueryCursor, Tree

# column positions, so queries read `row[CALL_CHAIN]` rather than magic numbers
CALL_CHAIN, CALL_NARGS, CALL_KW, CALL_NONE_KW, CALL_SPLAT, CALL_FUNC, CALL_LOOP, CALL_LINE, CALL_END, CALL_ARG0, \
    CALL_WITH, CALL_HEADS, CALL_TEXT = range(13)
FN_QUALNAME, FN_NAME, FN_CLASS, FN_LINE, FN_END, FN_START_BYTE, FN_END_BYTE, FN_DECORATORS, FN_PARAMS, FN_ASYNC = \
    range(10)
BIND_FUNC, BIND_NAME, BIND_KIND, BIND_VALUE, BIND_LINE, BIND_TEXT = range(6)
RET_FUNC, RET_VALUE, RET_LINE = range(3)
LOOP_KIND, LOOP_FUNC, LOOP_PARENT, LOOP_TARGETS, LOOP_ITER, LOOP_ITER_KIND, LOOP_LINE, LOOP_END, LOOP_BODY_START, \
    LOOP_BODY_END = range(10)
WITH_FUNC, WITH_CHAIN, WITH_ARG0, WITH_LINE, WITH_END = range(5)
EXIT_KIND, EXIT_FUNC, EXIT_LINE, EXIT_BLOCK_START, EXIT_BLOCK_END = range(5)


@dataclass(frozen=True, slots=True)
class Tables:
    """One file's flat tables (see the module docstring for the columns)."""
    path: str
    imports: tuple[tuple[str, str], ...]
    functions: tuple[tuple, ...]
    classes: tuple[tuple, ...]
    calls: tuple[tuple, ...]
    binds: tuple[tuple, ...]
    returns: tuple[tuple, ...]
    loops: tuple[tuple, ...]
    withs: tuple[tuple, ...]
    exits: tuple[tuple, ...]
    blocks: tuple[tuple, ...]
    strings: tuple[tuple[int, int, int], ...]


_COMPREHENSIONS = frozenset({"list_comprehension", "set_comprehension", "dictionary_comprehension",
                             "generator_expression"})
_LITERAL_KINDS = {"string": "str", "concatenated_string": "str", "integer": "int", "float": "float", "none": "None",
                  "true": "bool", "false": "bool", "list": "list", "tuple": "tuple", "set": "set",
                  "dictionary": "dict"}


def chain(node: Node | None, data: bytes) -> str:
    """The left spine of an expression as text: `a.b().c` for `a.b(x).c`, `?` for anything else."""
    parts: list[str] = []
    while node is not None:
        kind = node.type
        if kind == "identifier":
            parts.append(data[node.start_byte:node.end_byte].decode("utf-8", "replace"))
            break
        if kind == "attribute":
            attr = node.child_by_field_name("attribute")
            parts.append(data[attr.start_byte:attr.end_byte].decode("utf-8", "replace") if attr else "?")
            node = node.child_by_field_name("object")
        elif kind == "call":
            parts.append("()")
            node = node.child_by_field_name("function")
        elif kind == "await":
            node = node.named_children[0] if node.named_child_count else None
        elif kind == "parenthesized_expression":
            node = node.named_children[0] if node.named_child_count else None
        else:
            parts.append("?")
            break
    out = ""
    for part in reversed(parts):
        out = out + part if part == "()" or not out else f"{out}.{part}"
    return out


def value_of(node: Node | None, data: bytes) -> str:
    """What an argument or bound value is: a chain, or the kind of a literal (`str`, `fstr`, `None`)."""
    if node is None:
        return ""
    kind = node.type
    if kind == "string":
        return "fstr" if any(c.type == "interpolation" for c in node.children) else "str"
    if kind in ("list", "tuple", "set", "dictionary"):
        if not node.named_child_count:
            return "empty"  # filled later, if at all: not a fixed collection
        splat = any(c.type in ("list_splat", "dictionary_splat") for c in node.named_children)
        return _LITERAL_KINDS[kind] + ("*" if splat else "")
    if kind in _LITERAL_KINDS:
        return _LITERAL_KINDS[kind]
    if kind == "boolean_operator" or kind == "conditional_expression":
        return "|".join(filter(None, (value_of(c, data) for c in node.named_children)))
    return chain(node, data)


_TEXTUAL = frozenset({"string", "concatenated_string", "binary_operator", "call", "parenthesized_expression"})


def lead_text(node: Node | None, data: bytes, depth: int = 0) -> str:
    """The literal text an expression is written with (first 80 characters): a string's, an f-string's
    literal parts joined, the left of `+`/`%`, the argument of `text("...")`; "" for anything else."""
    if node is None or depth > 3:
        return ""
    kind = node.type
    if kind == "string":
        return "".join(_text(c, data) for c in node.children if c.type == "string_content")[:80]
    if kind == "concatenated_string":
        return "".join(lead_text(c, data, depth + 1) for c in node.named_children)[:80]
    if kind == "parenthesized_expression" and node.named_child_count:
        return lead_text(node.named_children[0], data, depth + 1)
    if kind == "binary_operator":
        operator = node.child_by_field_name("operator")
        if operator is not None and operator.type in ("+", "%"):
            return lead_text(node.child_by_field_name("left"), data, depth + 1)
        return ""
    if kind == "call":
        args = node.child_by_field_name("arguments")
        if chain(node.child_by_field_name("function"), data).rpartition(".")[2] == "text" and args is not None \
                and args.named_child_count == 1:
            return lead_text(args.named_children[0], data, depth + 1)
    return ""


def _iter_kind(node: Node | None) -> str:
    """The iterable's tree-sitter type; a literal with a `*rest` element is marked `*` (its length is not fixed)."""
    if node is None:
        return ""
    if node.type in ("list", "tuple", "set") and any(c.type == "list_splat" for c in node.named_children):
        return node.type + "*"
    return node.type


_SIMPLE = frozenset({"identifier", "attribute", "call", "string", "integer", "float", "true", "false", "none"})


def _heads(node: Node, data: bytes) -> list[str]:
    """The names an argument starts from: its chain's first name, or for a compound argument
    (`row["id"]`, `Model.id == row.key`) the names in it, up to 24 nodes deep into it."""
    if node.type in _SIMPLE:
        return [chain(node, data).partition(".")[0].partition("(")[0]]
    names, stack, budget = [], [node], 24
    while stack and budget:
        budget -= 1
        current = stack.pop()
        if current.type == "identifier":
            names.append(_text(current, data))
        elif current.type == "attribute":
            names.append(chain(current, data).partition(".")[0].partition("(")[0])
        else:
            stack.extend(current.named_children)
    return names


def _text(node: Node | None, data: bytes) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace") if node is not None else ""


def _targets(node: Node | None, data: bytes) -> tuple[str, ...]:
    """The names a `for` target or an assignment's left side binds (`a, (b, c)` -> a b c; `self.x`)."""
    if node is None:
        return ()
    kind = node.type
    if kind in ("identifier", "attribute"):
        name = chain(node, data)
        return (name,) if "?" not in name and "()" not in name else ()
    if kind in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "expression_list"):
        return tuple(name for child in node.named_children for name in _targets(child, data))
    return ()


class _Walk:
    """The one cursor walk: fills the tables, keeping the enclosing function, class, loop and
    `with` as stacks of (end_byte, row) popped lazily when a node starts past their end."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.imports: list[tuple[str, str]] = []
        self.functions: list[tuple] = []
        self.classes: list[tuple] = []
        self.calls: list[tuple] = []
        self.binds: list[tuple] = []
        self.returns: list[tuple] = []
        self.loops: list[tuple] = []
        self.withs: list[tuple] = []
        self.exits: list[tuple] = []
        self.blocks: list[tuple] = []
        self.strings: list[tuple[int, int, int]] = []
        # (end_byte, function row or -1 for a class, qualname): the definitions around the walk
        self.scopes: list[tuple[int, int, str]] = []
        self.pending: list[tuple[int, int, int]] = []  # loops whose body the walk has not reached
        self.loop_stack: list[tuple[int, int]] = []  # (body end_byte, loop row), body spans only
        self.with_stack: list[tuple[int, int]] = []

    # context: pop what ended before this node starts, then read the tops
    def _context(self, start: int) -> tuple[int, int, int]:
        for stack in (self.scopes, self.loop_stack, self.with_stack):
            while stack and stack[-1][0] <= start:
                stack.pop()
        fn = next((row for _, row, _ in reversed(self.scopes) if row >= 0), -1)
        loop = self.loop_stack[-1][1] if self.loop_stack else -1
        with_ = self.with_stack[-1][1] if self.with_stack else -1
        return fn, loop, with_

    def _innermost_loop_in(self, fn: int) -> int:
        """Loops do not reach into a nested function: its body runs when it is called."""
        if not self.loop_stack:
            return -1
        row = self.loop_stack[-1][1]
        return row if self.loops[row][LOOP_FUNC] == fn else -1

    def call(self, node: Node) -> None:
        fn, _, with_ = self._context(node.start_byte)
        loop = self._innermost_loop_in(fn)
        data = self.data
        name = chain(node.child_by_field_name("function"), data)
        args = node.child_by_field_name("arguments")
        nargs, keywords, nones, splat, arg0, heads, text, keyed = 0, [], [], False, "", [], "", ""
        if args is not None and args.type == "argument_list":
            for child in args.named_children:
                kind = child.type
                if kind == "keyword_argument":
                    key = _text(child.child_by_field_name("name"), data)
                    keywords.append(key)
                    value = child.child_by_field_name("value")
                    if value is not None and value.type == "none":
                        nones.append(key)
                    elif value is not None:
                        heads.extend(_heads(value, data))
                        if key in ("query", "sql") and value.type in _TEXTUAL:
                            keyed = lead_text(value, data)
                elif kind == "dictionary_splat":
                    splat = True
                elif kind != "comment":
                    value = value_of(child, data)
                    if nargs == 0:
                        arg0 = value
                        if kind in _TEXTUAL:
                            text = lead_text(child, data)
                    heads.extend(_heads(child, data))
                    nargs += 1
        elif args is not None:  # `f(x for x in y)`: one generator argument
            nargs, arg0 = 1, "gen"
        self.calls.append((name, nargs, tuple(keywords), tuple(nones), splat, fn, loop, node.start_point[0] + 1,
                           node.end_point[0] + 1, arg0, with_, tuple(heads), text if nargs else keyed))

    def function(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        data = self.data
        name = _text(node.child_by_field_name("name"), data)
        top = self.scopes[-1] if self.scopes else None
        cls = top[2] if top is not None and top[1] < 0 else ""
        outer = "" if top is None else (f"{top[2]}." if top[1] < 0 else f"{top[2]}.<locals>.")
        parent = node.parent
        decorators = tuple(chain(_decorator_expr(d), data) for d in parent.children if d.type == "decorator") \
            if parent is not None and parent.type == "decorated_definition" else ()
        params = []
        plist = node.child_by_field_name("parameters")
        if plist is not None:
            for p in plist.named_children:
                pname, annotation = _param(p, data)
                if pname:
                    params.append((pname, annotation))
        row = len(self.functions)
        is_async = node.children[0].type == "async" if node.children else False
        self.functions.append((outer + name, name, cls, node.start_point[0] + 1, node.end_point[0] + 1,
                               node.start_byte, node.end_byte, decorators, tuple(params), is_async))
        for pname, _ in params:
            self.binds.append((row, pname, "param", "", node.start_point[0] + 1, ""))
        self.scopes.append((node.end_byte, row, outer + name))

    def klass(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        data = self.data
        name = _text(node.child_by_field_name("name"), data)
        top = self.scopes[-1] if self.scopes else None
        outer = "" if top is None else (f"{top[2]}." if top[1] < 0 else f"{top[2]}.<locals>.")
        supers = node.child_by_field_name("superclasses")
        bases = tuple(chain(b, data) for b in supers.named_children if b.type != "keyword_argument") \
            if supers is not None else ()
        self.classes.append((outer + name, bases, node.start_point[0] + 1, node.end_point[0] + 1))
        self.scopes.append((node.end_byte, -1, outer + name))

    def assignment(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        data = self.data
        right = node.child_by_field_name("right")
        value = value_of(right, data) if right is not None else ""
        text = lead_text(right, data) if right is not None and right.type in _TEXTUAL else ""
        line = node.start_point[0] + 1
        for name in _targets(node.child_by_field_name("left"), data):
            self.binds.append((fn, name, "assign", value, line, text))

    def for_loop(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        data = self.data
        body = node.child_by_field_name("body")
        right = node.child_by_field_name("right")
        targets = _targets(node.child_by_field_name("left"), data)
        row = len(self.loops)
        parent = self._innermost_loop_in(fn)
        start, end = (body.start_byte, node.end_byte) if body is not None else (node.end_byte, node.end_byte)
        self.loops.append(("for", fn, parent, targets, value_of(right, data), _iter_kind(right),
                           node.start_point[0] + 1, node.end_point[0] + 1, start, end))
        for name in targets:
            self.binds.append((fn, name, "for", "", node.start_point[0] + 1, ""))
        self._push_loop(start, end, row)

    def while_loop(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        body = node.child_by_field_name("body")
        row = len(self.loops)
        start = body.start_byte if body is not None else node.end_byte
        self.loops.append(("while", fn, self._innermost_loop_in(fn), (), "", "", node.start_point[0] + 1,
                           node.end_point[0] + 1, start, node.end_byte))
        self._push_loop(start, node.end_byte, row)

    def comprehension(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        data = self.data
        clauses = [c for c in node.named_children if c.type == "for_in_clause"]
        if not clauses:
            return
        first = clauses[0]
        targets = tuple(n for c in clauses for n in _targets(c.child_by_field_name("left"), data))
        right = first.child_by_field_name("right")
        row = len(self.loops)
        self.loops.append(("comp", fn, self._innermost_loop_in(fn), targets, value_of(right, data),
                           _iter_kind(right), node.start_point[0] + 1, node.end_point[0] + 1,
                           node.start_byte, node.end_byte))
        for name in targets:
            self.binds.append((fn, name, "for", "", node.start_point[0] + 1, ""))
        self._push_loop(node.start_byte, node.end_byte, row)

    def _push_loop(self, start: int, end: int, row: int) -> None:
        # the body starts after the header: calls in the iterable are not repeated, so the loop is
        # pushed only once the walk reaches its body (queued until then)
        self.pending.append((start, end, row))

    def with_statement(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        data = self.data
        line, end = node.start_point[0] + 1, node.end_point[0] + 1
        clause = next((c for c in node.children if c.type == "with_clause"), None)
        if clause is None:
            return
        for item in clause.named_children:
            value = item.child_by_field_name("value") if item.type == "with_item" else item
            if value is not None and value.type == "as_pattern":
                alias = value.child_by_field_name("alias")
                for name in _targets(alias.named_children[0] if alias is not None and alias.named_child_count
                                     else alias, data):
                    self.binds.append((fn, name, "with", value_of(value.named_children[0], data), line, ""))
                value = value.named_children[0]
            arg0 = ""
            if value is not None and value.type == "call":
                args = value.child_by_field_name("arguments")
                first = args.named_children[0] if args is not None and args.named_child_count else None
                arg0 = value_of(first, data) if first is not None and first.type != "keyword_argument" else ""
            row = len(self.withs)
            self.withs.append((fn, chain(value, data), arg0, line, end))
            self.with_stack.append((node.end_byte, row))

    def returned(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        value = node.named_children[0] if node.named_child_count else None
        self.returns.append((fn, value_of(value, self.data) if value is not None else "", node.start_point[0] + 1))
        self._exit("return", fn, node)

    def raised(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        self._exit("raise", fn, node)

    def broke(self, node: Node) -> None:
        fn, _, _ = self._context(node.start_byte)
        self._exit("break", fn, node)

    def _exit(self, kind: str, fn: int, node: Node) -> None:
        block = node.parent
        if block is not None:
            self.exits.append((kind, fn, node.start_point[0] + 1, block.start_point[0] + 1, block.end_point[0] + 1))

    def tried(self, node: Node) -> None:
        body = node.child_by_field_name("body")
        if body is not None:
            self.blocks.append(("try", body.start_point[0] + 1, body.end_point[0] + 1))

    def imported(self, node: Node) -> None:
        data = self.data
        for child in node.named_children:
            if child.type == "dotted_name":
                target = _text(child, data)
                self.imports.append((target.split(".", 1)[0], target.split(".", 1)[0]))
            elif child.type == "aliased_import":
                self.imports.append((_text(child.child_by_field_name("alias"), data),
                                     _text(child.child_by_field_name("name"), data)))

    def imported_from(self, node: Node) -> None:
        data = self.data
        module = node.child_by_field_name("module_name")
        base = _text(module, data)
        for child in node.children_by_field_name("name"):
            if child.type == "dotted_name":
                name = _text(child, data)
                self.imports.append((name, f"{base}.{name}"))
            elif child.type == "aliased_import":
                name = _text(child.child_by_field_name("name"), data)
                self.imports.append((_text(child.child_by_field_name("alias"), data), f"{base}.{name}"))

    def string(self, node: Node) -> None:
        self.strings.append((node.start_point[0] + 1, node.start_byte, node.end_byte))


def _decorator_expr(node: Node) -> Node | None:
    return node.named_children[0] if node.named_child_count else None


def _param(node: Node, data: bytes) -> tuple[str, str]:
    kind = node.type
    if kind == "identifier":
        return _text(node, data), ""
    if kind in ("default_parameter", "typed_default_parameter"):
        kind_type = node.child_by_field_name("type")
        return _text(node.child_by_field_name("name"), data), _annotation(kind_type, data)
    if kind == "typed_parameter":
        first = node.named_children[0] if node.named_child_count else None
        name = _param(first, data)[0] if first is not None else ""
        return name, _annotation(node.child_by_field_name("type"), data)
    if kind in ("list_splat_pattern", "dictionary_splat_pattern"):
        return (_text(node.named_children[0], data) if node.named_child_count else ""), ""
    return "", ""


def _annotation(node: Node | None, data: bytes) -> str:
    """An annotation's names, `|`-joined (`requests.Session | None` -> `requests.Session|None`)."""
    if node is None:
        return ""
    inner = node.named_children[0] if node.type == "type" and node.named_child_count else node
    if inner.type in ("identifier", "attribute"):
        return chain(inner, data)
    names = []
    stack = [inner]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "attribute"):
            names.append(chain(n, data))
        else:
            stack.extend(n.named_children)
    return "|".join(names)


_HANDLERS = {
    "call": _Walk.call, "function_definition": _Walk.function, "class_definition": _Walk.klass,
    "assignment": _Walk.assignment, "for_statement": _Walk.for_loop, "while_statement": _Walk.while_loop,
    **{kind: _Walk.comprehension for kind in _COMPREHENSIONS},
    "with_statement": _Walk.with_statement, "return_statement": _Walk.returned, "raise_statement": _Walk.raised,
    "break_statement": _Walk.broke, "try_statement": _Walk.tried, "import_statement": _Walk.imported,
    "import_from_statement": _Walk.imported_from, "string": _Walk.string,
}


def build(tree: Tree, data: bytes, path: str = "") -> Tables:
    """The file's tables from its parse tree, in one cursor walk."""
    walk = _Walk(data)
    _run(walk, tree)
    return Tables(path, tuple(walk.imports), tuple(walk.functions), tuple(walk.classes), tuple(walk.calls),
                  tuple(walk.binds), tuple(walk.returns), tuple(walk.loops), tuple(walk.withs), tuple(walk.exits),
                  tuple(walk.blocks), tuple(walk.strings))


def _run(walk: _Walk, tree: Tree) -> None:
    """The walk, with loops entering the context stack only when their body starts."""
    cursor = tree.walk()
    handlers = _HANDLERS
    pending, loops = walk.pending, walk.loop_stack
    while True:
        node = cursor.node
        handler = handlers.get(node.type)
        if pending:
            start = node.start_byte
            for entry in [p for p in pending if p[0] <= start]:
                pending.remove(entry)
                while loops and loops[-1][0] <= start:
                    loops.pop()
                loops.append((entry[1], entry[2]))
        if handler is not None:
            handler(walk, node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


@lru_cache(maxsize=1)
def _kinds_query() -> Query:
    """One tree-sitter query capturing every node kind a table is made from (matched in C)."""
    return Query(Language(tree_sitter_python.language()), " ".join(f"({kind}) @{kind}" for kind in _HANDLERS))


def build_by_query(tree: Tree, data: bytes, path: str = "") -> Tables:
    """The same tables, with the tree-sitter query engine finding the nodes instead of a Python
    cursor walk over every node: the handlers then see only the ~10% of nodes they want, in
    source order (outer before inner at the same start), which is all their context stacks need."""
    walk = _Walk(data)
    captured = QueryCursor(_kinds_query()).captures(tree.root_node)
    nodes = sorted(((node.start_byte, -node.end_byte, kind, node) for kind, found in captured.items()
                    for node in found), key=lambda item: (item[0], item[1]))
    handlers = _HANDLERS
    pending, loops = walk.pending, walk.loop_stack
    for start, _, kind, node in nodes:
        if pending:
            for entry in [p for p in pending if p[0] <= start]:
                pending.remove(entry)
                while loops and loops[-1][0] <= start:
                    loops.pop()
                loops.append((entry[1], entry[2]))
        handlers[kind](walk, node)
    return Tables(path, tuple(walk.imports), tuple(walk.functions), tuple(walk.classes), tuple(walk.calls),
                  tuple(walk.binds), tuple(walk.returns), tuple(walk.loops), tuple(walk.withs), tuple(walk.exits),
                  tuple(walk.blocks), tuple(walk.strings))
