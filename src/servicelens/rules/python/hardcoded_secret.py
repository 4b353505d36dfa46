"""Hard-coded secret: a credential written into the source instead of read from the environment.

## What it finds
- string literals assigned to credential names (`SECRET_KEY`, `DB_PASSWORD`, `api_key`,
  `client_secret`, `app.config["SECRET_KEY"]`), passed as credential keyword arguments
  (`boto3.client(aws_secret_access_key="...")`) or stored under credential keys of a dict
  literal (Django `DATABASES = {"default": {"PASSWORD": "..."}}`);
- a password compared with a literal (`if password == "s3cr3t!"`);
- an account created with a password written in the code, however short or word-like
  (`create_superuser("admin", "admin@example.com", "admin")`, `UserCreate(email=e, password=pw,
  is_superuser=True)` with `pw = "admin"`): the default credential every install shares;
- anywhere in the file: provider token formats (AWS `AKIA...`, private-key PEM blocks, Slack
  `xox.-`, GitHub `ghp_`, Stripe `sk_live_`, Google `AIza`), connection URLs with an inline
  password (`postgres://app:pw@db.prod.internal/app`), and `Authorization` header literals.

## Why it matters
Everyone with read access to the repository, its forks, CI logs and backups holds the
credential, and rotating it means a code change and a deploy. A leaked Django/Flask
`SECRET_KEY` lets anyone forge session cookies and password-reset tokens, i.e. log in as
any user.

## Example
```python
SECRET_KEY = "k3#9x!f0q$zt8w@l2m5v7b1n4c6"
```
Use instead:
```python
SECRET_KEY = os.environ["SECRET_KEY"]
```

## Fix
Read the value from the environment or a secret manager at start-up, fail fast when it is
missing, and rotate the leaked value: it stays in the Git history.

## How a literal's use decides
A literal is a secret because of what the code does with it (data/secret_uses.yaml):
- a name a framework reads as its signing or encryption key (`SECRET_KEY`, `JWT_SECRET`,
  `session_secret`, `encryption_key`), or a name whose value reaches, in the same file, the key
  argument of a token, MAC or cipher call (`Fernet(KEY)`, `hmac.new(self.shared, ...)`,
  `jwt.encode(claims, self.key)` after `self.key = cfg.key or DEFAULT_KEY`) is reported at high
  confidence, whatever it is called; a word-like literal there, or the fallback of an
  environment lookup (`os.getenv("JWT_SECRET", "dev-key")`, `os.getenv("K") or "dev-key"`), at
  medium: every deploy that leaves the variable unset signs with it;
- a literal under a credential name that reaches a call's credential parameter
  (`Redis(password=self.db_pass)`), or is passed as one, is reported at high confidence; one
  known by its credential name alone, no use of it seen in the file, at low;
- a product's documented stock default (`minioadmin`), a value held by a fake or mocked
  backend (`class FakeWallet: secret = ...`) and a literal made of its own name's words
  (`API_SECRET_KEY = "okx_api_secret"`, a stored setting's key) are not secrets.

## Known problems
Placeholders (`changeme`, `<your-key>`, `xxx`, `${VAR}`), short or word-like values,
files under test directories and dev/test/example settings modules are skipped, so a
real secret in `settings/dev.py` is missed (provider token formats are still reported
there). A real-looking fallback of any other credential lookup is reported at low confidence.
Uses are read within one file: a settings field read as `settings.x` in another module and
passed to `jwt.encode` there is judged by its name. A literal wrapped in pydantic's
`SecretStr(...)` or given as a settings field's default (`Field(default="...")`) is judged as
the literal itself.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.fixcode import strip_comment
from servicelens.fixcode.secrets_env import env_name, from_environment
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._common import (
    call_name, const_str, dev_class, is_dev_path, is_secret_name, is_settings_module,
    is_test_path, location, target_name, words,
)
from servicelens.rules.python._default_credentials import default_credentials
from servicelens.rules.python._secret_uses import KeyUses, key_uses, secret_uses
from servicelens.rules.python._secrets import is_placeholder, looks_like_secret, provider_shape, url_password
from servicelens.taint.scope import ModuleScope

# what a default account's password is reported as (rules/python/_default_credentials)
DEFAULT_ACCOUNT = "password for an account the code creates"
_ENV_CALLS = re.compile(r"(^|\.)(getenv|environ\.get|get_env|env|config|str|get_secret|env_str)$")
_ENV_HINT = re.compile(r"getenv|environ|\benv\(|\bconfig\(")  # a line reading the environment (finding titles)
_AUTH_HEADER = re.compile(r"^(?:Bearer|Token|Basic|ApiKey)\s+(\S{12,})$", re.IGNORECASE)


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    generic = not is_dev_path(module.path)
    # a command an operator runs (`manage.py seed_admin`) sets up a machine by hand: its account is a nit
    run_by_hand = "/management/commands/" in f"/{module.path}"
    seen: set[int] = set()
    index = file_index(module, scope)
    secret_names: dict[str, bool] = {}  # `is_secret_name(name, strict=True)` per name, asked once per file
    names = _Names(module, scope, secret_names)
    for function, stmt in index.stmts_with_function:
        for line, name, value, confidence in _candidates(stmt, scope, function, index, names):
            if line in seen or (not generic and (name is not None or value == DEFAULT_ACCOUNT)) \
                    or dev_class(module, line) or (value == DEFAULT_ACCOUNT and run_by_hand):
                continue
            seen.add(line)
            yield _finding(module, line, name, value, confidence)


class _Names:
    """What the file says of a name: does it read as a credential (asked once per name: keyword
    and target names repeat, `required=`), does its value reach a key or credential argument
    (the file's uses, read only when a literal's name alone does not decide), what class holds it."""

    def __init__(self, module: ir.Module, scope: ModuleScope, secret_names: dict[str, bool]) -> None:
        self.module, self.scope, self._secret = module, scope, secret_names

    def secret(self, name: str) -> bool:
        found = self._secret.get(name)
        if found is None:
            found = self._secret[name] = is_secret_name(name, strict=True)
        return found

    def uses(self) -> KeyUses:
        return key_uses(self.module, self.scope)

    def holder(self, line: int) -> str:
        """The name of the innermost class around `line`, "" at module level."""
        around = [c for c in self.module.classes if c.line <= line <= c.end_line]
        return max(around, key=lambda c: c.line).name if around else ""


def _candidates(stmt: ir.Stmt, scope: ModuleScope, function: ir.Function | None, index: FileIndex,
                names: _Names) -> Iterator[tuple[int, str | None, str, Confidence]]:
    """(line, credential name or None for shape matches, literal, confidence) per suspect."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None:
        for target in stmt.targets:
            yield from _named(target_name(target), stmt.value, stmt.line, scope, function, names, assigned=True)
    for expr in index.stmt_nodes(stmt):
        # every node of the file comes through here: reached by its type, most kinds skipped at once
        kind = type(expr)
        if kind is ir.Const:
            if type(expr.value) is str:
                yield from _shaped(expr.line, expr.value)
        elif kind is ir.Call:
            for kw in expr.kwargs:
                if kw.name is not None:
                    yield from _named(kw.name, kw.value, expr.line, scope, function, names, assigned=False)
            if expr.kwargs or len(expr.args) > 2:
                for credential in default_credentials(expr, function):
                    yield credential.line, None, DEFAULT_ACCOUNT, Confidence.HIGH
        elif kind is ir.DictExpr:
            for key, value in zip(expr.keys, expr.values):
                yield from _dict_entry(const_str(key) if key is not None else None, value)
        elif kind is ir.Compare and expr.ops in (("==",), ("!=",)):
            yield from _compared(expr)


def _named(name: str | None, value: ir.Expr, line: int, scope: ModuleScope, function: ir.Function | None,
           names: _Names, *, assigned: bool) -> Iterator[tuple[int, str | None, str, Confidence]]:
    """A literal given to a name: assigned (`KEY = "..."`, a settings field) or passed as a call's
    keyword (`Redis(password="...")`, itself a use). An assigned literal is judged by its use: one
    whose name a framework reads as its signing key, or whose value reaches a key argument in the
    file, is reported at high confidence; one known by its name alone at medium."""
    if name is None:
        return
    text = const_str(value) if not isinstance(value, ir.Call) else _wrapped_literal(value, scope, function)
    fallback = _env_fallback(value, scope, function) if text is None else None
    if text is None and fallback is None:
        return
    uses = secret_uses()
    secret, signing = names.secret(name), uses.signs(name)
    literal = text if text is not None else fallback or ""
    # the file's uses are read only where they decide: an assigned name not already a signing key,
    # holding a credential-like literal or an environment lookup's fallback
    asked = assigned and not signing and (secret or fallback is not None or looks_like_secret(literal))
    found = names.uses() if asked else None
    keyed = signing or (found is not None and name in found.keys)
    credential = found is not None and name in found.credentials
    if not (secret or keyed or credential):
        return
    # a fallback is used as the key whatever it looks like (`"INSECURE_KEY_SET_IN_ENV"` signs too)
    if (_names_or_configures(literal) and text is not None) or uses.stock_default(literal) \
            or uses.fake(name, names.holder(line)):
        return
    if text is not None:
        if looks_like_secret(text) and not _names_itself(name, text):
            # a keyword argument is itself a use; a provider's token format proves a live credential
            used = keyed or credential or not assigned or provider_shape(text) is not None
            yield value.line, name, text, Confidence.HIGH if used else Confidence.LOW
        elif text and keyed and not re.search(r"[<>{}$\s]", text) and not _names_itself(name, text):
            # a short or word-like signing key is worse, not better: it is both leaked and guessable
            yield value.line, name, text, Confidence.MEDIUM
    elif fallback:
        if keyed and not is_placeholder(fallback) and not re.search(r"[<>{}$\s]", fallback) \
                and not _names_itself(name, fallback):
            # the key every deploy that leaves the variable unset signs with
            yield value.line, name, fallback, Confidence.MEDIUM
        elif len(fallback) >= 16 and looks_like_secret(fallback):
            yield value.line, name, fallback, Confidence.LOW


def _env_fallback(value: ir.Expr, scope: ModuleScope, function: ir.Function | None) -> str | None:
    """The literal an environment lookup falls back to: `os.getenv("K", "lit")`,
    `os.environ.get("K", default="lit")`, `os.getenv("K") or "lit"`."""
    if isinstance(value, ir.BoolOp) and value.op == "or" and len(value.values) > 1 \
            and any(isinstance(v, ir.Call) and _ENV_CALLS.search(call_name(v, scope, function))
                    for v in value.values[:-1]):
        return const_str(value.values[-1])
    if isinstance(value, ir.Call) and _ENV_CALLS.search(call_name(value, scope, function)):
        return const_str(value.kwarg("default")) or (const_str(value.args[1]) if len(value.args) > 1 else None)
    return None


# calls that hold the literal they are given as the value (pydantic's secret types, a settings
# field's default): `api_key: SecretStr = SecretStr("sk_...")`, `Field(default="sk_...")`
_VALUE_WRAPPERS = frozenset({"SecretStr", "SecretBytes"})
_DEFAULT_WRAPPERS = frozenset({"Field", "field"})


def _wrapped_literal(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> str | None:
    """The literal a value wrapper holds (`SecretStr("...")`, `Field("...")`, `Field(default="...")`)."""
    last = call_name(call, scope, function).rsplit(".", 1)[-1]
    if last in _VALUE_WRAPPERS and len(call.args) == 1:
        return const_str(call.args[0])
    if last in _DEFAULT_WRAPPERS:
        default = call.kwarg("default")
        return const_str(default) if default is not None else (const_str(call.args[0]) if call.args else None)
    return None



def _dict_entry(key: str | None, value: ir.Expr) -> Iterator[tuple[int, str | None, str, Confidence]]:
    text = const_str(value)
    if key is None or text is None:
        return
    if key.lower() in ("authorization", "x-api-key", "x-auth-token", "api-key"):
        match = _AUTH_HEADER.match(text)
        token = match.group(1) if match else (text if key.lower() != "authorization" else "")
        if token and looks_like_secret(token):
            yield value.line, key, text, Confidence.HIGH
    elif is_secret_name(key, strict=True) and looks_like_secret(text) and not _names_itself(key, text) \
            and not _names_or_configures(text):
        yield value.line, key, text, Confidence.HIGH


def _compared(expr: ir.Compare) -> Iterator[tuple[int, str | None, str, Confidence]]:
    left, right = expr.left, expr.comparators[0]
    for named, literal in ((left, right), (right, left)):
        name, text = target_name(named), const_str(literal)
        if name and text and words(name)[-1:] in (["password"], ["passwd"], ["pwd"]) \
                and looks_like_secret(text):
            yield expr.line, name, text, Confidence.MEDIUM


def _shaped(line: int, text: str) -> Iterator[tuple[int, str | None, str, Confidence]]:
    label = provider_shape(text)
    if label is not None:
        yield line, None, label, Confidence.HIGH
    elif url_password(text) is not None:
        yield line, None, "connection URL with an inline password", Confidence.HIGH


_HEADER_NAME = re.compile(r"^(X-)?[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)+$")
_RATE_SPEC = re.compile(r"^\d+/\d*[a-z]+(/[a-z]+)?(\s*[,;]\s*\d+/\d*[a-z]+(/[a-z]+)?)*$")


# `app.forms.ChangePasswordForm`: a dotted import path (short identifier segments; a JWT's are long)
_IMPORT_PATH = re.compile(r"^[A-Za-z_]\w{0,31}(?:\.[A-Za-z_]\w{0,31}){2,}$")
# `TRACECAT_AWS_EXTERNAL_ID`: the name of an environment variable or stored setting
_VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
# `__pending_bot_token__`: a sentinel the code stores or compares in place of the real value
_SENTINEL = re.compile(r"^__[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*__:?$")


def _names_or_configures(text: str) -> bool:
    """A literal that names where a credential travels, where it is kept or what handles it, not
    the credential: an HTTP header name (`HEADER_TOKEN = "X-Supervisor-Token"`), a rate limit for
    a password action (`"change_password": "5/m/user"`), a form or handler class's import path
    (`"change_password": "accounts.forms.ChangePasswordForm"`), a variable's name."""
    return bool(_HEADER_NAME.match(text) or _RATE_SPEC.match(text.lower()) or _IMPORT_PATH.match(text)
                or _VARIABLE_NAME.match(text) or _SENTINEL.match(text))


def _names_itself(name: str, text: str) -> bool:
    """`PASSWORD_FIELD = "password"`-style literals that repeat the name are not secrets, and a
    hex digest under a password name is a stored hash (seed data), not the password."""
    flat = re.sub(r"[^a-z0-9]", "", text.lower())
    if words(name)[-1:] in (["password"], ["passwd"], ["pwd"]) and re.fullmatch(r"[0-9a-fA-F]{32,128}", text):
        return True
    if flat == "".join(words(name)) or flat in words(name):
        return True
    # a key naming a stored setting: `API_SECRET_KEY = "kraken_api_secret"` is made of the name's own words
    said = words(text)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:[_.\-][A-Za-z0-9]+)+", text)) and len(said) > 1 \
        and set(said) <= set(words(name))


def _finding(module: ir.Module, line: int, name: str | None, value: str, confidence: Confidence) -> Finding:
    source = module.line_text(line)
    if name is None:
        title = f"Hard-coded {value}"
        why = (f"The source contains a {value}. Anyone who can read the repository, a fork, a CI log "
               "or a backup can use it, and it stays in the Git history after it is removed.")
    else:
        fallback = _ENV_HINT.search(source) is not None
        title = {Confidence.HIGH: f"Hard-coded secret in {name}",
                 Confidence.MEDIUM: f"Hard-coded fallback key in {name}" if fallback
                 else f"Hard-coded, guessable secret in {name}",
                 # low: a real-looking fallback of a credential lookup, or a credential known by its
                 # name alone (no use of it seen in the file)
                 Confidence.LOW: f"Probable real secret as the fallback default of {name}" if fallback
                 else f"Probable hard-coded secret in {name}"}[confidence]
        if re.search(r"[=!]=\s*['\"]|['\"]\s*[=!]=", source):
            title = f"{name[:1].upper()}{name[1:]} checked against a hard-coded literal"
        why = (f"`{name}` is a credential written into the source. Anyone with read access to the "
               "repository, its forks or CI logs holds it, and rotating it needs a code change."
               + (" A leaked SECRET_KEY lets an attacker forge session cookies and password-reset "
                  "tokens." if name.upper() == "SECRET_KEY" else ""))
        if fallback:
            why += " The literal is used whenever the environment variable is unset, e.g. in a mis-configured deploy."
    return make_finding(
        "hardcoded-secret", location(module, ir.Const(line, 0, None)), title, why,
        severity=Severity.HIGH if confidence is not Confidence.LOW else Severity.MEDIUM,
        confidence=confidence, fix=_fix(module, source, name), rule=RULE.id,
        key=name or value,
    )


def _fix(module: ir.Module, source: str, name: str | None) -> Fix:
    """The line itself with the literal read from the environment instead."""
    source = strip_comment(source)
    fixed = from_environment(source, name or "")
    assigned = re.match(r"\s*([^=\s][^=]*?)\s*=(?!=)", source)
    env = env_name(name or (assigned.group(1) if assigned else "") or "SECRET_VALUE")
    if not fixed and assigned:  # a literal spanning lines (a PEM block): the whole value goes
        fixed = f'{assigned.group(1)} = os.environ["{env}"]'
    if is_settings_module(module):
        hint = (f"Read {env} from the environment in settings (os.environ[...] raises at start-up "
                "when it is missing, which is what you want in production), and rotate the leaked value.")
    else:
        hint = (f"Load {env} from the environment or your secret manager instead of the source, "
                "and rotate the leaked value: it remains in the Git history.")
    if not fixed:
        return Fix(hint)
    imports = "import hmac\nimport os" if "hmac.compare_digest" in fixed else "import os"
    return Fix(hint, f"{imports}\n\n{fixed}", "python")


RULE = Rule("py-hardcoded-secret", frozenset({"hardcoded-secret"}), "python", check)
