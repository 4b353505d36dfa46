"""Methods nothing outside their own class calls, in classes the project only makes and calls.

A vendored or third-party client (a REST client class copied into the tree, forty methods, of
which the project calls two) has every method "named": each is spelled by the others of its class
(`self._request(...)`), and public method names are too common to be judged by a word anywhere in
the review (`get`, `chat`, `login`). What decides whether a method can run is who calls it from
outside its class: a method no other module and no code of its own module outside the class
spells, and that no method of its class reached that way calls, runs only if something finds it
without spelling it.

That is ruled out only for a class the project uses as an object it makes and calls:
- every base is the project's own (or `object`, `ABC`, `Generic`), so no framework base calls a
  hook by its conventional name (`save`, `dispatch`, `get_queryset`, `compress_documents`), and
  no metaclass or registering decorator on the class or any subclass;
- the class (a subclass, or an alias `A = C`) is named somewhere, and nowhere handed over as a
  value (`add_middleware(C)`, `HANDLERS = {"x": C}`), made as an argument of a call
  (`logger.addFilter(Quiet())`, `callbacks=[Audit()]`) or spelled in a string (`"pkg.mod.C"` in
  settings): whatever receives the class or its instance may call any method by protocol (an
  instance handed over later, through a variable, is not followed). A class no file names at
  all is a plugin found by discovery (entry points, subclass registries) and is not judged;
- no module of the class or its bases looks an attribute up by a computed name
  (`getattr(self, "handle_" + kind)`), which calls methods nobody spells.
Within such a class, methods under a decorator that may register them are called by the
decorator's owner, and dunder methods by Python once an instance exists (the class, a subclass or
an alias is called somewhere, or a classmethod or staticmethod, a factory, is reached); they
start the walk with the methods spelled outside the class; a method spelled by a reached
method of the class is reached too. Spellings outside the class count as in analysis/unreferenced:
a use of the name (attribute, name, keyword, parameter), a string in code that can name an attribute
(an identifier, a dotted path, an entry point: not prose or a URL), any word in a non-Python file; imports that keep the name, `__all__`, docstrings and comments do not. A name another module
spells on an unrelated object still counts (the reading is by name, so it errs toward "called"),
but not `self.name` inside another class that defines `name` itself (a sync client's twin async
client calling its own `_check_auth`).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping

from servicelens.analysis.ast_nodes import ast_nodes
from servicelens.sources.line_matches import line_matches

_NEUTRAL_BASES = frozenset({"object", "ABC", "Generic"})  # bases that never call a method by name
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a string that can name an attribute: an identifier, a dotted path, an entry point (`pkg.mod:Class`);
# prose, URLs and templates cannot be looked up
_LOOKUP = re.compile(r"[A-Za-z_][A-Za-z0-9_.:]*")


@dataclass(frozen=True, slots=True)
class MethodSpan:
    name: str
    line: int  # first line, decorators included
    end: int
    registered: bool  # under a decorator that may register it (not one that only wraps)
    on_class: bool  # a classmethod or staticmethod: callable without an instance (a factory may make one)


@dataclass(frozen=True, slots=True)
class ClassShape:
    """A module-level class as this reading needs it."""

    name: str
    line: int  # first line, decorators included
    end: int
    bases: tuple[str, ...]  # last dotted names; "" for a base that is not a plain (dotted) name
    registered: bool  # a metaclass, or a class decorator that may register it
    methods: tuple[MethodSpan, ...]


@dataclass(frozen=True, slots=True)
class ModuleUses:
    """Where one Python module spells names in ways that matter to a class and its methods."""

    words: Mapping[str, tuple[int, ...]]  # name -> lines where it is spelled so as to lead to a call
    # name -> (class, line) of the spellings that are `self.name`/`cls.name` inside a class defining
    # `name`: that class calling its own method (or a subclass's override), never an unrelated class's
    own_calls: Mapping[str, tuple[tuple[str, int], ...]]
    values: frozenset[str]  # names handed over as values (not called, annotated, subclassed or tested)
    quoted: frozenset[str]  # words of strings in code that can name an attribute (not docstrings, annotations)
    imports: Mapping[str, str]  # local name -> what it was imported as (`from .a import C as D`: D -> .a.C)
    called: frozenset[tuple[str, str]]  # ("", C) for `C(...)`, (m, C) for `m.C(...)`: classes made here
    attributes: frozenset[tuple[str, str]]  # (m, C) for every `m.C`
    aliases: Mapping[str, str]  # module-level `A = C`: A -> C
    classes: Mapping[str, ClassShape]
    computed_getattr: bool  # getattr(x, <not a constant>) somewhere in the module


def module_uses(text: str, wrapping: frozenset[str], parsed: ast.Module | None = None) -> ModuleUses | None:
    """A module's uses; None when it does not parse (then nothing in it can be ruled out).
    `parsed`: the module's tree when the caller already holds it. One walk of the tree
    (analysis.ast_nodes, `ast.walk`'s breadth-first order: a node comes after every node above it,
    so what a node says of the nodes under it, that they are inert or make nothing, is known before
    they are met), shared by the docstrings' reading and the classes' own calls."""
    try:
        tree = parsed or ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    laid = ast_nodes(tree)  # the one walk of the module every reading below takes its nodes from
    inert = inert_strings(tree, laid.nodes)
    # nodes that cannot hand a value over (`_values`): module-level aliases' right sides here,
    # the rest as the walk meets what holds them
    harmless = {id(s.value) for s in tree.body if isinstance(s, ast.Assign)
                and isinstance(s.value, (ast.Name, ast.Attribute)) and all(isinstance(t, ast.Name) for t in s.targets)}
    words: dict[str, list[int]] = {}
    quoted: set[str] = set()
    imports: dict[str, str] = {}
    called: set[tuple[str, str]] = set()
    attributes: set[tuple[str, str]] = set()
    values: set[str] = set()
    computed = False
    for node in laid.nodes:
        annotation = annotation_of(node)
        if annotation is not None:
            for inner in ast_nodes(annotation).nodes:
                harmless.add(id(inner))
                if isinstance(inner, ast.Constant):
                    inert.add(id(inner))  # a forward reference "Client" is a type, not a lookup
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name):
            if id(node) not in inert:
                words.setdefault(node.id, []).append(line)
            if isinstance(node.ctx, ast.Load) and id(node) not in harmless:
                values.add(node.id)
        elif isinstance(node, ast.Attribute):
            harmless.add(id(node.value))
            attributes.add(_qualified(node))
            words.setdefault(node.attr, []).append(line)
            if isinstance(node.ctx, ast.Load) and id(node) not in harmless:
                values.add(node.attr)
        elif isinstance(node, ast.Call):
            _call_uses(node, harmless, values)
            called.add(_qualified(node.func))
            if _last_name(node.func) == "getattr" and len(node.args) >= 2 and not isinstance(node.args[1], ast.Constant):
                computed = True
        elif isinstance(node, (ast.arg, ast.keyword)):
            if node.arg:
                words.setdefault(node.arg, []).append(line)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                words.setdefault(name, []).append(line)
        elif isinstance(node, ast.alias):
            if node.asname and node.asname != node.name.rpartition(".")[2]:
                words.setdefault(node.name.rpartition(".")[2], []).append(line)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str) and id(node) not in inert and _LOOKUP.fullmatch(node.value):
                for word in _WORD.findall(node.value):
                    quoted.add(word)
                    words.setdefault(word, []).append(line)
        elif isinstance(node, ast.ImportFrom):
            source = "." * node.level + (node.module or "")
            imports.update((a.asname or a.name, f"{source}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            imports.update((a.asname, a.name) if a.asname else (a.name.split(".")[0], a.name) for a in node.names)
        elif isinstance(node, ast.ClassDef):
            harmless.update(id(n) for base in node.bases for n in ast.walk(base))
        elif isinstance(node, ast.ExceptHandler) and node.type is not None:
            harmless.update(id(n) for n in ast.walk(node.type))
    aliases = {t.id: _last_name(s.value) for s in tree.body if isinstance(s, ast.Assign)
               and isinstance(s.value, (ast.Name, ast.Attribute)) for t in s.targets if isinstance(t, ast.Name)}
    classes = {s.name: _shape(s, wrapping) for s in tree.body if isinstance(s, ast.ClassDef)}
    own_calls: dict[str, list[tuple[str, int]]] = {}
    # `self.m`/`cls.m` under each module-level class, class by class in the body's order
    in_class: dict[int, list[ast.Attribute]] = {}
    for node, top in zip(laid.nodes, laid.tops):
        if top >= 0 and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in ("self", "cls") and isinstance(tree.body[top], ast.ClassDef):
            in_class.setdefault(top, []).append(node)
    for top, attributes_here in sorted(in_class.items()):
        statement = tree.body[top]
        defined = {s.name for s in statement.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for node in attributes_here:
            if node.attr in defined:
                own_calls.setdefault(node.attr, []).append((statement.name, node.lineno))
    return ModuleUses({k: tuple(v) for k, v in words.items()}, {k: tuple(v) for k, v in own_calls.items()},
                      frozenset(values), frozenset(quoted), imports, frozenset(called), frozenset(attributes), aliases,
                      classes, computed)


def _call_uses(node: ast.Call, harmless: set[int], values: set[str]) -> None:
    """What a call says for `_values`: its callee is not handed over, nor an `isinstance` type; a
    class whose new instance is at once an argument (`add_filter(Quiet())`, `hooks=[Audit()]`) is."""
    harmless.add(id(node.func))
    if _last_name(node.func) in ("isinstance", "issubclass") and len(node.args) == 2:
        harmless.update(id(n) for n in ast.walk(node.args[1]))
    for argument in [*node.args, *(k.value for k in node.keywords)]:
        made = [argument, *(argument.elts if isinstance(argument, (ast.List, ast.Tuple, ast.Set)) else ()),
                *(v for v in argument.values if v is not None)] if isinstance(argument, ast.Dict) else \
            [argument, *(argument.elts if isinstance(argument, (ast.List, ast.Tuple, ast.Set)) else ())]
        values.update(_last_name(m.func) for m in made if isinstance(m, ast.Call))


def _qualified(node: ast.expr) -> tuple[str, str]:
    """("", name) for a name, (m, name) for `m.name` (m the leftmost name), ("?", name) otherwise."""
    if isinstance(node, ast.Attribute):
        left: ast.expr = node.value
        while isinstance(left, ast.Attribute):
            left = left.value
        return (left.id if isinstance(left, ast.Name) else "?"), node.attr
    return "", _last_name(node)


def inert_strings(tree: ast.Module, nodes: list[ast.AST] | None = None) -> set[int]:
    """ids of the string constants that cannot lead to a call: docstrings (a module's, a class's,
    a function's) and the entries of a literal `__all__`. `nodes`: the tree's nodes when the caller
    already laid them out (analysis.ast_nodes)."""
    inert: set[int] = set()
    for node in ast_nodes(tree).nodes if nodes is None else nodes:
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                inert.add(id(first.value))
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        value = getattr(node, "value", None)
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and isinstance(value, (ast.List, ast.Tuple)):
            inert.update(id(e) for e in value.elts if isinstance(e, ast.Constant))
    return inert


def annotation_of(node: ast.AST) -> ast.expr | None:
    """The type annotation a node carries: a parameter's, a function's return, an annotated
    assignment's."""
    if isinstance(node, ast.arg):
        return node.annotation
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.returns
    if isinstance(node, ast.AnnAssign):
        return node.annotation
    return None


def _shape(node: ast.ClassDef, wrapping: frozenset[str]) -> ClassShape:
    methods = tuple(MethodSpan(s.name, _first_line(s), s.end_lineno or s.lineno,
                               any(_last_name(_callee(d)) not in wrapping for d in s.decorator_list),
                               any(_last_name(_callee(d)) in ("classmethod", "staticmethod") for d in s.decorator_list))
                    for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))
    bases = tuple(_last_name(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases)
    registered = any(k.arg == "metaclass" for k in node.keywords) or any(
        _last_name(_callee(d)) not in wrapping for d in node.decorator_list)
    return ClassShape(node.name, _first_line(node), node.end_lineno or node.lineno, bases, registered, methods)


def _first_line(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return min([node.lineno] + [d.lineno for d in node.decorator_list])


def _callee(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


@dataclass(frozen=True, slots=True)
class ClassUses:
    """Every reviewed file's uses, read lazily: `python(path)` parses a module once per review."""

    texts: Mapping[str, str]
    python: Callable[[str], ModuleUses | None]
    # [class name -> paths of the modules that may define it], read from every text in one pass on first ask
    defined: list[dict[str, tuple[str, ...]]] = field(default_factory=list)
    # name -> paths of the files (of any kind) spelling it as a whole word, once a search went
    # through every text: shared by who makes the class and who calls its methods
    spelled: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # has `python(path)` been answered already (a module read costs nothing more)? None: unknown
    known: Callable[[str], bool] | None = None

    def spelling(self, name: str) -> Iterator[str]:
        """The reviewed files (in `texts` order) that spell `name` as a whole word, found as they
        are asked for: a caller that stops at the first one searches no further."""
        if name in self.spelled:
            yield from self.spelled[name]
            return
        word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
        found: list[str] = []
        for path, text in self.texts.items():
            if name in text and word.search(text):
                found.append(path)
                yield path
        self.spelled[name] = tuple(found)

    def modules_spelling(self, name: str) -> Iterable[tuple[str, ModuleUses | None]]:
        for path in self.spelling(name):
            if path.endswith(".py"):
                yield path, self.python(path)

    def modules_defining(self, name: str) -> Iterable[tuple[str, ModuleUses | None]]:
        """The Python modules that may define a module-level class `name`: only those are parsed
        (a base such as `Model` is spelled in hundreds of modules and defined in none of them)."""
        if not self.defined:
            self.defined.append(class_definitions(self.texts))
        for path in self.defined[0].get(name, ()):
            yield path, self.python(path)

    def others_spell(self, name: str, own: str, lineage: frozenset[str]) -> bool:
        """Does any reviewed file but `own` spell `name` so that it can lead to a call of a method
        of a class in `lineage` (a class outside it calling its own method of that name does not
        count; an ancestor calling it may reach the override)?"""
        # the answer is the same in any order: a module not read yet is read only when no file
        # met in the search (a non-Python one, a module already read) decides it
        unread: list[str] = []
        for path in self.spelling(name):
            if path == own:
                continue
            if not path.endswith(".py"):
                return True
            if self.known is not None and not self.known(path):
                unread.append(path)
            elif self._leads_to_call(path, name, lineage):
                return True
        return any(self._leads_to_call(path, name, lineage) for path in unread)

    def _leads_to_call(self, path: str, name: str, lineage: frozenset[str]) -> bool:
        uses = self.python(path)
        unrelated = sum(1 for owner, _ in uses.own_calls.get(name, ()) if owner not in lineage) if uses else 0
        return uses is None or len(uses.words.get(name, ())) > unrelated


# a class statement at the start of a line, and the name it defines (a lookahead: the next
# statement's `class` may start right after the whitespace, on a line of its own); a Python
# identifier, non-ASCII letters included (`class Größe:`), as the per-name search it replaced matched
_CLASS_STATEMENT = re.compile(r"^class\s+(?=([^\W\d]\w*)\b)", re.MULTILINE)


def class_definitions(texts: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Class name -> the Python modules (in `texts` order) with a `class NAME` statement at the
    start of a line: every module that may define a module-level class of that name (a class in a
    docstring or under a condition is dropped by whoever parses the module). One pass over every
    text answers every base a review asks about, instead of one pass per name."""
    found: dict[str, list[str]] = {}
    for path, text in texts.items():
        if path.endswith(".py") and "class" in text:
            matches = line_matches(_CLASS_STATEMENT, text, ("class",))
            for name in dict.fromkeys(match.group(1) for match in matches):
                found.setdefault(name, []).append(path)
    return {name: tuple(paths) for name, paths in found.items()}


def uncalled_methods(path: str, class_name: str, uses: ClassUses,
                     asked: Iterable[str] | None = None) -> frozenset[str] | None:
    """The methods of the module-level class `class_name` in `path` that nothing outside the class
    calls, directly or through a method of the class that something outside calls; None when the
    class is not one the project only makes and calls (then nothing is concluded here).
    `asked`: only these method names are wanted (the answer is the uncalled ones among them): a
    method is reached when one of the methods that lead to it inside the class (its callers, their
    callers, ...) is called from outside, so only those are judged, the cheap evidence (a
    registering decorator, a spelling in the class's own module) before the other files are
    searched; a class of a hundred methods with a finding in one is not read a hundred times."""
    own = uses.python(path)
    shape = own.classes.get(class_name) if own is not None else None
    ancestors = project_ancestors(path, shape, uses) if own is not None and shape is not None else None
    use = _use(path, shape, uses) if ancestors is not None else None
    if own is None or shape is None or ancestors is None or use is None:
        return None
    names = [m.name for m in shape.methods]
    wanted = list(dict.fromkeys(names if asked is None else (a for a in asked if a in set(names))))
    starts = _Starts(path, own, shape, frozenset(a.name for a in ancestors), use, uses)
    callers = _callers(own, shape)
    uncalled: set[str] = set()
    for name in wanted:
        leading = _leading_to(name, callers)  # every method whose reach reaches `name`, itself included
        if not (any(starts.cheap(m) for m in leading) or any(starts.spelled_elsewhere(m) for m in leading)):
            uncalled.add(name)
    return frozenset(uncalled)


def _callers(own: ModuleUses, shape: ClassShape) -> dict[str, set[str]]:
    """Method name -> the methods of the class whose body spells it (a method's body is its last
    definition's span, as a later definition of the same name replaces the earlier)."""
    spans = {m.name: m for m in shape.methods}
    callers: dict[str, set[str]] = {}
    for callee in dict.fromkeys(m.name for m in shape.methods):
        lines = own.words.get(callee, ())
        callers[callee] = {caller.name for caller in spans.values()
                           if any(caller.line <= line <= caller.end for line in lines)}
    return callers


def _leading_to(name: str, callers: Mapping[str, set[str]]) -> list[str]:
    """`name` and every method that reaches it through calls inside the class, nearest first."""
    found = [name]
    seen = {name}
    for current in found:
        for caller in sorted(callers.get(current, ())):
            if caller not in seen:
                seen.add(caller)
                found.append(caller)
    return found


@dataclass(slots=True)
class _Starts:
    """Which methods of a class are called from outside it (the walk's starting points), each
    judged once and only when asked: a registering decorator; for a dunder, an instance existing;
    else a spelling in its own module outside the class or in the class body outside every method
    (`cheap`), or in another reviewed file (`spelled_elsewhere`)."""

    path: str
    own: ModuleUses
    shape: ClassShape
    lineage: frozenset[str]
    use: str
    uses: ClassUses
    known: dict[str, bool] = field(default_factory=dict)
    elsewhere: dict[str, bool] = field(default_factory=dict)

    def cheap(self, name: str) -> bool:
        if name not in self.known:
            self.known[name] = self._cheap(name)
        return self.known[name]

    def _cheap(self, name: str) -> bool:
        shape = self.shape
        if any(m.registered for m in shape.methods if m.name == name):
            return True
        if name.startswith("__") and name.endswith("__"):
            # Python calls the dunders of an instance; there is none if nothing makes one
            return self.use == _MADE or any(m.on_class and self._starts_undunder(m.name) for m in shape.methods)
        lines = self.own.words.get(name, ())
        own_elsewhere = sum(1 for owner, line in self.own.own_calls.get(name, ())
                            if owner not in self.lineage and not shape.line <= line <= shape.end)
        if sum(1 for line in lines if not shape.line <= line <= shape.end) > own_elsewhere:
            return True
        inside = [(m.line, m.end) for m in shape.methods]
        return any(shape.line <= line <= shape.end and not any(a <= line <= b for a, b in inside) for line in lines)

    def _starts_undunder(self, name: str) -> bool:
        """A non-dunder's start (a dunder never starts the walk by being spelled)."""
        if name.startswith("__") and name.endswith("__"):
            return any(m.registered for m in self.shape.methods if m.name == name)
        return self.cheap(name) or self.spelled_elsewhere(name)

    def spelled_elsewhere(self, name: str) -> bool:
        if name.startswith("__") and name.endswith("__"):
            return False
        if name not in self.elsewhere:
            self.elsewhere[name] = self.uses.others_spell(name, self.path, self.lineage)
        return self.elsewhere[name]


_MADE = "made"  # the class, a subclass or an alias of it is called somewhere: instances exist
_NAMED = "named"  # named (imported, annotated, aliased) but never called


def _use(path: str, shape: ClassShape, uses: ClassUses) -> str | None:
    """How the class, with its project bases and subclasses, is used when the project only makes
    and calls it (see the module's docstring): made, or only named; None otherwise. A module other
    than the class's own refers to it through an import from the class's module or package (a
    relative one, or one whose dotted path names the module's file or folder): `httpx.AsyncClient()`
    does not make the project's own `AsyncClient`."""
    if _handed_over(shape.name, uses):
        return None  # said before the subclasses are looked for: the modules spelling the class decide it
    members = family_members(path, shape.name, uses)
    if members is None:
        return None
    named = made = False
    for owner, name in members:
        for where, module in uses.modules_spelling(name):
            if module is None or name in module.values or name in module.quoted:
                return None
            locals_ = local_names(where, module, owner, name)
            named = named or bool(locals_) or any((m, name) in module.attributes for m in module_names(module, owner))
            made = made or any(("", local) in module.called for local in locals_) \
                or any((m, name) in module.called for m in module_names(module, owner))
    return _MADE if made else _NAMED if named else None


def _handed_over(name: str, uses: ClassUses) -> bool:
    """Does a module spelling the class's own name hand it over as a value, spell it in a string,
    or not parse? Then the class is not judged, whatever its subclasses. The answer is the same in
    any order, so the modules whose text quotes the name (`"shop.hooks.Audit"`, likeliest to
    decide) are read first, and the rest only when none of those decides."""
    quoting = re.compile(rf"[\"'][\w.:]*(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])[\w.:]*[\"']")
    paths = [path for path in uses.spelling(name) if path.endswith(".py")]
    for path in sorted(paths, key=lambda p: not quoting.search(uses.texts.get(p, ""))):
        module = uses.python(path)
        if module is None or name in module.values or name in module.quoted:
            return True
    return False


def family_members(path: str, name: str, uses: ClassUses) -> set[tuple[str, str]] | None:
    """(module path, name) of the class, its project subclasses at any depth, and each module-level
    alias of them (`RESTfulClient = Client`): every name an instance of the class can be made by;
    None when a subclass is registered (see `project_descendants`)."""
    family = project_descendants(name, uses)
    if family is None:
        return None
    members = {(path, name)} | family
    return members | {(where, alias) for _, member in set(members) for where, module in uses.modules_spelling(member)
                      if module is not None for alias, target in module.aliases.items()
                      if target == member and alias != member}


def local_names(where: str, module: ModuleUses, owner: str, name: str) -> set[str]:
    """The names by which the module `where` refers to the class `name` defined in `owner`."""
    if where == owner:
        return {name} if name in module.words else set()
    return {local for local, source in module.imports.items()
            if source.rpartition(".")[2] == name and _from_owner(source.rpartition(".")[0], owner)}


def module_names(module: ModuleUses, owner: str) -> set[str]:
    """Local names bound to the class's module or package (`from shop import payments`)."""
    return {local for local, source in module.imports.items() if _from_owner(source, owner)}


def _from_owner(source: str, owner: str) -> bool:
    """Can an import from `source` (dotted, relative when it starts with a dot) reach the module at
    path `owner`? Relative imports stay in the project; an absolute one must name the module's file
    or folder."""
    if source.startswith("."):
        return True
    parts = owner.removesuffix(".py").split("/")
    places = {parts[-1]} if parts[-1] != "__init__" else set()
    places |= {parts[-2]} if len(parts) > 1 else set()
    return bool(places & set(source.split(".")))


def project_ancestors(path: str, shape: ClassShape, uses: ClassUses) -> list[ClassShape] | None:
    """The class and its project ancestors, or None when a base is not the project's (or is
    registered, made by a metaclass, or lives in a module that looks methods up by computed name)."""
    seen: list[ClassShape] = []
    visited: set[tuple[str, str]] = set()
    pending = [(path, shape)]
    while pending:
        where, current = pending.pop()
        if (where, current.name) in visited:
            continue
        visited.add((where, current.name))
        module = uses.python(where)
        if current.registered or module is None or module.computed_getattr or len(seen) > 32:
            return None
        seen.append(current)
        for base in current.bases:
            if base in _NEUTRAL_BASES:
                continue
            found = [(p, m.classes[base]) for p, m in uses.modules_defining(base)
                     if m is not None and base in m.classes]
            if not base or not found:
                return None
            pending.extend(found)
    return seen


def project_descendants(name: str, uses: ClassUses) -> set[tuple[str, str]] | None:
    """(path, name) of the project's classes deriving from `name`, at any depth; None when one of
    them is registered or lives in a module that looks methods up by computed name."""
    found: set[tuple[str, str]] = set()
    pending = [name]
    while pending:
        parent = pending.pop()
        for where, module in uses.modules_spelling(parent):
            if module is None:
                return None
            for shape in module.classes.values():
                if parent in shape.bases and (where, shape.name) not in found and shape.name != name:
                    if shape.registered or module.computed_getattr:
                        return None
                    found.add((where, shape.name))
                    pending.append(shape.name)
    return found
