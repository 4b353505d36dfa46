"""What a literal is used for, read from the file's own code (knowledge in data/secret_uses.yaml).

A literal is a secret because of its use, not its name alone: a module constant, class attribute
or settings field whose value reaches the key of a signing, MAC or cipher call (`Fernet(KEY)`,
`jwt.encode(claims, self.secret_key)`), or a credential parameter of a call (`Redis(password=PW)`)
or a request's credential header (`{"Authorization": f"Bearer {self.api_key}"}`),
holds a secret whatever it is called; followed back through the file's assignments and keyword
arguments (`self.secret_key = config.secret_key or DEFAULT_KEY`). And a literal is no secret when
a product documents it as its own default (`minioadmin`), or when only fake data reads it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.packaged_yaml import packaged_yaml
from servicelens.rules.python._common import call_name, const_str, is_secret_name, target_name, words
from servicelens.taint.scope import ModuleScope

_USES_KEY = "secret-key-uses"
_ROUNDS = 4  # assignments followed back from a key argument: `KEY` -> `self.key` -> `signer(self.key)`


@dataclass(frozen=True, slots=True)
class KeyArgument:
    """The argument of a call that takes a key or a password."""

    call: str  # dotted suffix of the imported callee: `jwt.encode`, `Fernet`
    position: int
    keyword: str


@dataclass(frozen=True, slots=True)
class SecretUses:
    """data/secret_uses.yaml, parsed once."""

    key_arguments: tuple[KeyArgument, ...]
    signing_names: tuple[tuple[str, ...], ...]
    stock_defaults: frozenset[str]
    fake_words: frozenset[str]
    credential_headers: frozenset[str]
    value_preserving: frozenset[str]

    def key_argument(self, qualified: str) -> KeyArgument | None:
        """The key argument of the call named `qualified`, by the longest matching suffix."""
        found = [k for k in self.key_arguments if qualified == k.call or qualified.endswith("." + k.call)]
        return max(found, key=lambda k: len(k.call)) if found else None

    def signs(self, name: str) -> bool:
        """Does a framework read a setting of this name as its signing or encryption key?"""
        parts = tuple(words(name))
        return any(parts[-len(tail):] == tail for tail in self.signing_names)

    def stock_default(self, text: str) -> bool:
        return text.strip().lower() in self.stock_defaults

    def fake(self, name: str, holder: str) -> bool:
        """Is the name, or the class holding it, one for fake or mocked data?"""
        return bool(self.fake_words.intersection(words(name)) or self.fake_words.intersection(words(holder)))


@lru_cache(maxsize=1)
def secret_uses() -> SecretUses:
    data = packaged_yaml(resources.files("servicelens.data").joinpath("secret_uses.yaml").read_text("utf-8"))
    keys = tuple(KeyArgument(call, int(spec["position"]), str(spec["keyword"]))
                 for call, spec in data["key_arguments"].items())
    return SecretUses(keys, tuple(tuple(t) for t in data["signing_names"]),
                      frozenset(data["stock_defaults"]), frozenset(data["fake_words"]),
                      frozenset(h.lower() for h in data["credential_headers"]),
                      frozenset(data["value_preserving_calls"]))


@dataclass(frozen=True, slots=True)
class KeyUses:
    """Names whose value reaches, in this file, a key argument (`keys`: a cipher, MAC or token
    key, where even a word-like literal signs with it) or a call's credential parameter
    (`credentials`: `Redis(password=self.db_pass)`, where the literal must look like a real one)."""

    keys: frozenset[str]
    credentials: frozenset[str]


def key_uses(module: ir.Module, scope: ModuleScope) -> KeyUses:
    """The file's key and credential uses; asked once per file, only when a literal's name alone
    does not decide."""
    found = module.derived.get(_USES_KEY)
    if found is None:
        found = module.derived[_USES_KEY] = _key_uses(module, scope)
    return found  # type: ignore[return-value]


def _key_uses(module: ir.Module, scope: ModuleScope) -> KeyUses:
    uses = secret_uses()
    index = file_index(module, scope)
    keys: set[str] = set()
    for last in {k.call.rsplit(".", 1)[-1] for k in uses.key_arguments}:
        for call in index.calls_named(last):
            argument = _key_argument(call, uses, scope, module)
            if argument is not None:
                keys.update(_names_in(argument))
    credentials = {name for call in index.of_kind(ir.Call) for kw in call.kwargs
                   if kw.name is not None and is_secret_name(kw.name, strict=True) for name in _names_in(kw.value)}
    credentials.update(_header_credentials(module, scope, uses))
    flows = _flows(module, scope)
    return KeyUses(frozenset(_followed_back(keys, flows)), frozenset(_followed_back(credentials, flows)))


def _key_argument(call: ir.Call, uses: SecretUses, scope: ModuleScope, module: ir.Module) -> ir.Expr | None:
    function = _function_at(module, call.line)
    spec = uses.key_argument(call_name(call, scope, function))
    return None if spec is None else call.arg(spec.position, spec.keyword)


def _function_at(module: ir.Module, line: int) -> ir.Function | None:
    """The innermost function holding `line` (imports inside it qualify the callee)."""
    holding = [f for f in module.functions if f.line <= line <= f.end_line]
    return max(holding, key=lambda f: f.line) if holding else None


def _header_credentials(module: ir.Module, scope: ModuleScope, uses: SecretUses) -> Iterator[str]:
    """Names sent as a request's credential header: `{"Authorization": f"Bearer {self.api_key}"}`,
    `session.headers["X-Api-Key"] = TOKEN`."""
    index = file_index(module, scope)
    for entry in index.of_kind(ir.DictExpr):
        for key, value in zip(entry.keys, entry.values):
            if key is not None and (const_str(key) or "").lower() in uses.credential_headers:
                yield from _names_in(value)
    for _, stmt in index.stmts_with_function:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                isinstance(t, ir.Subscript) and (const_str(t.index) or "").lower() in uses.credential_headers
                for t in stmt.targets):
            yield from _names_in(stmt.value)


Flow = tuple[tuple[str, ...], ir.Expr]


def _flows(module: ir.Module, scope: ModuleScope) -> list[Flow]:
    """(names assigned, value) for every assignment from an expression and every keyword argument."""
    index = file_index(module, scope)
    flows: list[Flow] = []
    for _, stmt in index.stmts_with_function:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and not isinstance(stmt.value, ir.Const):
            targets = tuple(n for n in (target_name(t) for t in stmt.targets) if n)
            flows.append((targets, stmt.value))
    flows.extend(((kw.name,), kw.value) for call in index.of_kind(ir.Call) for kw in call.kwargs if kw.name)
    return flows


def _followed_back(names: set[str], flows: list[Flow]) -> set[str]:
    """Add what flows into those names: `self.key = cfg.key or DEFAULT_KEY` adds `key`, `DEFAULT_KEY`;
    `Signer(secret_key=SECRET)` where `secret_key` is one adds `SECRET`."""
    for _ in range(_ROUNDS):
        before = len(names)
        for targets, value in flows:
            if names.intersection(targets):
                names.update(_names_in(value))
        if len(names) == before:
            break
    return names


def _names_in(expr: ir.Expr) -> Iterator[str]:
    """The names a value is read from: `settings.jwt_secret` -> jwt_secret, `KEY.encode()` -> KEY,
    `a or b`, `x if c else y`, `f"{KEY}"`-free: a call's own name is not its value."""
    if isinstance(expr, ir.Name):
        if expr.id not in ("self", "cls"):
            yield expr.id
    elif isinstance(expr, ir.Attr):
        yield expr.attr
    elif isinstance(expr, ir.Subscript):
        index = const_str(expr.index)
        if index:
            yield index
    elif isinstance(expr, ir.Call):
        # only a call that hands on the value it is given: `KEY.encode()`, `b64decode(KEY)`; a
        # query's result is not its arguments
        if ir.last_name(expr.func) not in secret_uses().value_preserving:
            return
        if isinstance(expr.func, ir.Attr):
            yield from _names_in(expr.func.value)
        for part in (*expr.args, *(kw.value for kw in expr.kwargs)):
            yield from _names_in(part)
    elif isinstance(expr, ir.BoolOp):
        for part in expr.values:
            yield from _names_in(part)
    elif isinstance(expr, ir.IfExp):
        yield from _names_in(expr.body)
        yield from _names_in(expr.orelse)
    elif isinstance(expr, ir.BinOp):
        yield from _names_in(expr.left)
        yield from _names_in(expr.right)
    elif isinstance(expr, ir.Await):
        yield from _names_in(expr.value)
    elif isinstance(expr, ir.FormattedString):  # `f"Bearer {self.api_key}"`
        for part in expr.parts:
            yield from _names_in(part)
