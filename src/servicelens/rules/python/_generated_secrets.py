"""Fields the project fills with a value nobody can guess: capabilities, not ids.

A row looked up by such a field (`Workout.query.filter_by(map_id=map_id)` where `map_id` is only
ever stored from `hashlib.md5(...).hexdigest()`; `Share.objects.get(token=token)` where `token` has
`default=secrets.token_urlsafe`) is found only by whoever was handed the value: a share link, an
invitation, an unsubscribe link, a webhook's secret path. Possession of the value is the caller's
authorization, so such a lookup is no object-level authorization gap however unscoped it is.

Per file: the project functions returning a generated value, and every place a field is stored
with where its value comes from: generated here (a library generator of
models/vocabulary/generated_secrets.yaml, a digest of something that is not an id, a random-string
helper asked for 16 characters or more), the result of a project function (decided project-wide:
is that function a generator?), or anything else. Stores are column defaults (`default=`,
`default_factory=`), keyword arguments of a model's constructor or `create`, and attribute
assignments. Constants (`x.token = None` to revoke) say nothing. The same vocabulary is read by the
JavaScript model (rules/javascript/_generated_secrets.py): one list of generators, two readers.

Primary keys and fields named like one (`id`, `pk`, `uuid`) are never capabilities: a random
primary key is still the object's identity, listed and linked wherever the object appears. For the
same reason a value of an identifier generator (uuid4, a ULID) makes a capability only in a field
whose name says it is a secret (`share_uuid`, `invite_token`), not in `external_id`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.python._common import words
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.scope import ModuleScope

HERE = ""  # the value was generated where it is stored
IDENTIFIER = "<identifier>"  # an identifier generator's value (uuid4, a ULID) was stored
OTHER = "<not generated>"  # anything else: client input, a copy, a computed value
_SHORTEST = 16  # characters a random-string helper must be asked for to make a secret
_IDENTITY = frozenset({"id", "pk", "uuid", "guid", "ulid"})
_STORING = frozenset({"create", "get_or_create", "update_or_create", "bulk_create", "update", "values"})
_FIELD_CALLS = frozenset({"Column", "mapped_column", "Field"})  # SQLAlchemy, SQLModel; Django's end in `Field`
# what a hash of is as guessable as the value itself: ids, and what people and pages are known by
_GUESSABLE_WORDS = frozenset({"id", "pk", "uid", "email", "mail", "username", "login", "phone", "name", "slug",
                              "title", "url", "uri", "path", "filename"})


@dataclass(frozen=True, slots=True)
class Vocabulary:
    generators: frozenset[str]  # library generators of secrets, by the dotted name a call resolves to
    identifiers: frozenset[str]  # library generators of identifiers (uuid4, ULID)
    secret_words: frozenset[str]  # words of a field's name that say an identifier-generated value is a secret
    digests: frozenset[str]  # digest methods (`hexdigest`): the hash of what was fed in
    helper_words: frozenset[str]  # words of a random-string helper's name besides `random`


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = vocabulary_file("generated_secrets.yaml")["python"]
    return Vocabulary(frozenset(data["generators"]), frozenset(data["identifiers"]), frozenset(data["secret_words"]),
                      frozenset(data["digests"]), frozenset(data["helper_words"]))


@dataclass(frozen=True, slots=True)
class SecretFields:
    generators: tuple[str, ...] = ()  # function keys (`module.qualname`) of functions returning a generated value
    identifiers: tuple[str, ...] = ()  # ... and of functions returning a generated identifier
    # (model or "" when the store does not say, field, source): HERE, OTHER, or a project callee's candidate name
    stored: tuple[tuple[str, str, str], ...] = ()


def secret_fields(module: ir.Module, scope: ModuleScope) -> SecretFields:
    vocab = vocabulary()
    index = file_index(module, scope)
    generators: list[str] = []
    identifiers: list[str] = []
    stored: list[tuple[str, str, str]] = []
    for function in module.functions:
        # each call of the body is judged once (a generator? an identifier?), not once per walk that
        # meets it; a body without either has no local holding one, and its flows are not traced
        calls = index.block_of_kind(function.body, ir.Call)
        sources = _sources(calls, scope, vocab)
        # only calls to a model's constructor or `create`/`update`/`values` store keywords
        storing = any(_stored_model(call) for call in calls)
        made = _flow(index, function.body, sources.generated)
        named = _flow(index, function.body, sources.identifiers)
        # what each local holds from a project call, read only once a store asks (most bodies store nothing)
        results: list[dict[str, str]] = []

        def source(value: ir.Expr) -> str | None:
            if not results:
                results.append(_results(index, function, scope))
            return _source(index.walk(value), value, made, named, sources, results[0], function, scope)

        # a return makes the function a generator only when the body holds a source call: judged only then
        judged = bool(sources.generated or sources.identifiers)
        for stmt in index.walk_stmts(function.body):
            returned = source(stmt.value) if judged and isinstance(stmt, ir.Return) and stmt.value is not None \
                else None
            if returned == HERE:
                generators.append(function_key(scope, function))
            elif returned == IDENTIFIER:
                identifiers.append(function_key(scope, function))
            for model, field, value in _stores(index, stmt, function, storing):
                found = source(value)
                if found is not None:
                    stored.append((model, field, found))
    for cls in module.classes:
        stored += _defaults(cls, scope, vocab)
    return SecretFields(tuple(dict.fromkeys(generators)), tuple(dict.fromkeys(identifiers)), tuple(dict.fromkeys(stored)))


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Project-wide, by (model, field), with "" for stores that do not name their model: where a
    generated value was stored, and where anything else was."""

    generated: frozenset[tuple[str, str]] = frozenset()
    spoiled: frozenset[tuple[str, str]] = frozenset()

    def holds(self, model: str, field: str) -> bool:
        """Is every value ever stored in `model.field` (or in a `field` of an unnamed model) generated?"""
        keys = ((model, field), ("", field))
        return field.lower() not in _IDENTITY and any(k in self.generated for k in keys) \
            and not any(k in self.spoiled for k in keys)

    def capability(self, model: str, fields: Iterable[str]) -> str | None:
        """The first field a lookup filters by the client's value that is a capability."""
        return next((field for field in fields if self.holds(model, field)), None)


def capabilities(facts: Iterable[SecretFields]) -> Capabilities:
    every = list(facts)
    index: CalleeIndex[str] = CalleeIndex([*((name, HERE) for fact in every for name in fact.generators),
                                           *((name, IDENTIFIER) for fact in every for name in fact.identifiers)])
    secret_words = vocabulary().secret_words
    generated: set[tuple[str, str]] = set()
    spoiled: set[tuple[str, str]] = set()
    for fact in every:
        for model, field, source in fact.stored:
            kind = source if source in (HERE, IDENTIFIER, OTHER) else index.get(source)
            # an identifier is a secret only in a field named for one (`invite_token`, not `external_id`)
            made = kind == HERE or (kind == IDENTIFIER and bool(set(words(field)) & secret_words))
            (generated if made else spoiled).add((model, field))
    return Capabilities(frozenset(generated), frozenset(spoiled))


def _sources(calls: Iterable[ir.Call], scope: ModuleScope, vocab: Vocabulary) -> _Sources:
    """Which of a body's calls generate a secret and which an identifier, each call judged once."""
    generated: list[int] = []
    identifiers: list[int] = []
    for call in calls:
        library = _library(call.func, scope)
        if _generated(call, scope, vocab, library):
            generated.append(id(call))
        if library in vocab.identifiers:
            identifiers.append(id(call))
    return _Sources(frozenset(generated), frozenset(identifiers))


def _generated(expr: ir.Expr, scope: ModuleScope, vocab: Vocabulary, library: str | None = None) -> bool:
    """A call nobody can predict the result of: a library generator, a digest of what is not an id,
    or a random-string helper asked for at least 16 characters. `library`: what the callee resolves
    to, when the caller has it already."""
    if not isinstance(expr, ir.Call):
        return False
    if (_library(expr.func, scope) if library is None else library) in vocab.generators:
        return True
    if isinstance(expr.func, ir.Attr) and expr.func.attr in vocab.digests:
        return not _hashes_an_id(expr)
    name = ir.last_name(expr.func) or ""
    if "random" not in name.lower():  # the words below are lower-cased parts of the name
        return False
    said = set(words(name))
    length = expr.args[0].value if expr.args and isinstance(expr.args[0], ir.Const) else None
    return "random" in said and bool(said & vocab.helper_words) and isinstance(length, int) \
        and not isinstance(length, bool) and length >= _SHORTEST


def _hashes_an_id(digest: ir.Call) -> bool:
    """`hashlib.md5(str(user.id).encode()).hexdigest()`, `sha256(email.encode())`: the hash of an id, an
    e-mail address or a URL is as guessable as what was hashed."""
    for node in ir.walk_expr(digest.func):
        name = ir.last_name(node) if isinstance(node, (ir.Name, ir.Attr)) else ""
        if name and set(words(name)) & _GUESSABLE_WORDS:
            return True
    return False


def _library(func: ir.Expr, scope: ModuleScope) -> str:
    dotted = ir.dotted_name(func) or ""
    head, _, rest = dotted.partition(".")
    target = scope.imports.get(head, "")
    return (target + (f".{rest}" if rest else "")) if target else dotted


@dataclass(frozen=True, slots=True)
class _Sources:
    """The calls of one body (by id) that make a secret, and those that make an identifier."""

    generated: frozenset[int]
    identifiers: frozenset[int]


def _flow(index: FileIndex, body: tuple[ir.Stmt, ...], sources: frozenset[int]) -> set[str]:
    """Local names holding a value made from a source call (two passes, as assignments may come late),
    including objects a source call is fed to (`md5.update(chunk)` does not make `md5` generated, but
    `md5.hexdigest()` is a source itself). `sources`: the ids of the body's source calls."""
    held: set[str] = set()
    if not sources:
        return held
    for _ in range(2):
        for stmt in index.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None \
                    and _reads(index.walk(stmt.value), held, sources):
                held.update(t.id for target in stmt.targets for t in index.walk(target) if isinstance(t, ir.Name))
    return held


def _reads(nodes: Iterable[ir.Expr], names: set[str], sources: frozenset[int]) -> bool:
    """Do `nodes` (an expression's walk) read one of `names` or hold one of the `sources` calls?"""
    return any(type(node) is ir.Name and node.id in names or id(node) in sources  # type: ignore[attr-defined]
               for node in nodes)


def _results(index: FileIndex, function: ir.Function, scope: ModuleScope) -> dict[str, str]:
    """Local names holding what a project function returned: `new_hash = svc.get_map_hash(path)`."""
    found: dict[str, str] = {}
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
            callee = _callee(stmt.value, function, scope)
            if callee:
                found.update((t.id, callee) for t in stmt.targets if isinstance(t, ir.Name))
    return found


def _callee(expr: ir.Expr, function: ir.Function | None, scope: ModuleScope) -> str:
    """The candidate name of the project function a call lands in; a method of a receiver the
    review cannot type (`services[ext](...).get_map_hash(path)`) by its own name, which the
    project-wide index resolves when exactly one function is called so."""
    while isinstance(expr, ir.Await):
        expr = expr.value
    if not isinstance(expr, ir.Call):
        return ""
    if function is not None:
        found = callee_name(expr, scope, function)
        if found is not None:
            return found[0]
    name = ir.dotted_name(expr.func) or ""
    head, _, rest = name.partition(".")
    if head in scope.imports:
        return scope.imports[head] + (f".{rest}" if rest else "")
    if head in scope.functions and not rest:
        return f"{scope.name}.{head}"
    return expr.func.attr if isinstance(expr.func, ir.Attr) else ""


def _source(nodes: Iterable[ir.Expr], value: ir.Expr, made: set[str], named: set[str], sources: _Sources,
            results: Mapping[str, str], function: ir.Function | None, scope: ModuleScope) -> str | None:
    """Where a stored value comes from: HERE, IDENTIFIER, a project callee, OTHER; None for a constant.
    `nodes`: the value's walk; `sources`: the calls of the value's body that generate one."""
    while isinstance(value, ir.Await):
        value = value.value
    if isinstance(value, ir.Const):
        return None
    if sources.generated and _reads(nodes, made, sources.generated):
        return HERE
    if sources.identifiers and _reads(nodes, named, sources.identifiers):
        return IDENTIFIER
    if isinstance(value, ir.Name) and value.id in results:
        return results[value.id]
    callee = _callee(value, function, scope)
    return callee or OTHER


def _stores(index: FileIndex, stmt: ir.Stmt, function: ir.Function,
            storing: bool) -> Iterator[tuple[str, str, ir.Expr]]:
    """(model or "", field, value) a statement stores: `self.key = v` in a class's method (that class),
    `obj.key = v` (a model the statement does not name), `Share(key=v)`, `Share.objects.create(key=v)`,
    `Share.objects.filter(...).update(key=v)`, `insert(Share).values(key=v)`."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
        for target in stmt.targets:
            if isinstance(target, ir.Attr):
                own = isinstance(target.value, ir.Name) and target.value.id == "self" and function.class_name
                yield (function.class_name or "") if own else "", target.attr, stmt.value
    for node in index.stmt_of_kind(stmt, ir.Call) if storing else ():
        model = _stored_model(node)
        if model:
            yield from ((model, kw.name, kw.value) for kw in node.kwargs if kw.name)


def _stored_model(call: ir.Call) -> str:
    """`Share(...)` or `Share.objects.create(...)` -> "Share"; "" for any other call."""
    func = call.func
    if isinstance(func, ir.Name) and func.id[:1].isupper():
        return func.id
    if isinstance(func, ir.Attr) and func.attr in _STORING:
        root = func.value
        while isinstance(root, (ir.Attr, ir.Call)):  # `Share.objects.filter(...)`, `insert(Share)`
            root = root.value if isinstance(root, ir.Attr) else (root.args[0] if ir.last_name(root.func) == "insert"
                                                                  and root.args else root.func)
        if isinstance(root, ir.Name) and root.id[:1].isupper():
            return root.id
    return ""


def _defaults(cls: ir.ClassDef, scope: ModuleScope, vocab: Vocabulary) -> Iterator[tuple[str, str, str]]:
    """(model, field, source) of each column declared with a default: `token = models.CharField(
    default=secrets.token_urlsafe)`, `key: Mapped[str] = mapped_column(default=lambda: token_hex(32))`,
    `key: str = Field(default_factory=make_key)`. Primary keys are left out."""
    for stmt in cls.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call) or len(stmt.targets) != 1 \
                or not isinstance(stmt.targets[0], ir.Name):
            continue
        call = stmt.value
        kind = ir.last_name(call.func) or ""
        if kind not in _FIELD_CALLS and not kind.endswith("Field"):
            continue
        if isinstance(call.kwarg("primary_key"), ir.Const) and call.kwarg("primary_key").value is True:  # type: ignore[union-attr]
            continue
        default = call.kwarg("default") or call.kwarg("default_factory")
        if default is None or isinstance(default, ir.Const):
            continue
        yield cls.name, stmt.targets[0].id, _default_source(default, scope, vocab)


def _default_source(default: ir.Expr, scope: ModuleScope, vocab: Vocabulary) -> str:
    """A column default is a callable: a library generator (`uuid.uuid4`), a lambda calling one, or a
    project function (`default=make_share_token`), judged project-wide."""
    if isinstance(default, ir.Lambda):
        nodes = tuple(ir.walk_expr(default.body))
        sources = _sources((n for n in nodes if isinstance(n, ir.Call)), scope, vocab)  # type: ignore[misc]
        return _source(nodes, default.body, set(), set(), sources, {}, None, scope) or OTHER
    if isinstance(default, (ir.Name, ir.Attr)):
        if _library(default, scope) in vocab.generators:
            return HERE
        if _library(default, scope) in vocab.identifiers:
            return IDENTIFIER
        name = ir.dotted_name(default) or ""
        head, _, rest = name.partition(".")
        if head in scope.imports:
            return scope.imports[head] + (f".{rest}" if rest else "")
        if head in scope.functions and not rest:
            return f"{scope.name}.{head}"
    return OTHER
