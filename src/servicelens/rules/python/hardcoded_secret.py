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

## Known problems
Placeholders (`changeme`, `<your-key>`, `xxx`, `${VAR}`), short or word-like values,
files under test directories and dev/test/example settings modules are skipped, so a
real secret in `settings/dev.py` is missed (provider token formats are still reported
there). A literal default of `os.environ.get("SECRET_KEY", "...")` is reported at low
confidence only when it looks like a real key (a word-like fallback, `"dev-signing-key"`, is
missed: it is usually a development default another settings module overrides). A literal wrapped in pydantic's `SecretStr(...)` or given as a
settings field's default (`Field(default="...")`) is judged as the literal itself.
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
    is_test_path, location, words,
)
from servicelens.rules.python._default_credentials import default_credentials
from servicelens.rules.python._secrets import looks_like_secret, provider_shape, url_password
from servicelens.taint.scope import ModuleScope

# what a default account's password is reported as (rules/python/_default_credentials)
DEFAULT_ACCOUNT = "password for an account the code creates"
_ENV_CALLS = re.compile(r"(^|\.)(getenv|environ\.get|get_env|env|config|str|get_secret|env_str)$")
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
    for function, stmt in index.stmts_with_function:
        for line, name, value, confidence in _candidates(stmt, scope, function, index, secret_names):
            if line in seen or (not generic and (name is not None or value == DEFAULT_ACCOUNT)) \
                    or dev_class(module, line) or (value == DEFAULT_ACCOUNT and run_by_hand):
                continue
            seen.add(line)
            yield _finding(module, line, name, value, confidence)


def _candidates(stmt: ir.Stmt, scope: ModuleScope, function: ir.Function | None, index: FileIndex,
                secret_names: dict[str, bool]) -> Iterator[tuple[int, str | None, str, Confidence]]:
    """(line, credential name or None for shape matches, literal, confidence) per suspect."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None:
        for target in stmt.targets:
            yield from _named(_name_of(target), stmt.value, stmt.line, scope, function, secret_names)
    for expr in index.stmt_nodes(stmt):
        # every node of the file comes through here: reached by its type, most kinds skipped at once
        kind = type(expr)
        if kind is ir.Const:
            if type(expr.value) is str:
                yield from _shaped(expr.line, expr.value)
        elif kind is ir.Call:
            for kw in expr.kwargs:
                if kw.name is not None:
                    yield from _named(kw.name, kw.value, expr.line, scope, function, secret_names)
            if expr.kwargs or len(expr.args) > 2:
                for credential in default_credentials(expr, function):
                    yield credential.line, None, DEFAULT_ACCOUNT, Confidence.HIGH
        elif kind is ir.DictExpr:
            for key, value in zip(expr.keys, expr.values):
                yield from _dict_entry(const_str(key) if key is not None else None, value)
        elif kind is ir.Compare and expr.ops in (("==",), ("!=",)):
            yield from _compared(expr)


def _name_of(target: ir.Expr) -> str | None:
    if isinstance(target, ir.Name):
        return target.id
    if isinstance(target, ir.Attr):
        return target.attr
    if isinstance(target, ir.Subscript):
        return const_str(target.index)
    return None


def _named(name: str | None, value: ir.Expr, line: int, scope: ModuleScope, function: ir.Function | None,
           secret_names: dict[str, bool]) -> Iterator[tuple[int, str | None, str, Confidence]]:
    """`secret_names`: the file's answers so far (keyword and target names repeat: `required=`)."""
    if name is None:
        return
    secret = secret_names.get(name)
    if secret is None:
        secret = secret_names[name] = is_secret_name(name, strict=True)
    if not secret:
        return
    text = const_str(value) if not isinstance(value, ir.Call) else _wrapped_literal(value, scope, function)
    if text is not None and _names_or_configures(text):
        return
    if text is not None and looks_like_secret(text) and not _names_itself(name, text):
        yield value.line, name, text, Confidence.HIGH
    elif text and _signing_key(name) and not re.search(r"[<>{}$\s]", text):
        # a short or word-like SECRET_KEY is worse, not better: it is both leaked and guessable
        yield value.line, name, text, Confidence.MEDIUM
    elif isinstance(value, ir.Call) and _ENV_CALLS.search(call_name(value, scope, function)):
        default = const_str(value.kwarg("default")) or (const_str(value.args[1]) if len(value.args) > 1 else None)
        if default is not None and len(default) >= 16 and looks_like_secret(default):
            yield value.line, name, default, Confidence.LOW


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
        name, text = _name_of(named), const_str(literal)
        if name and text and words(name)[-1:] in (["password"], ["passwd"], ["pwd"]) \
                and looks_like_secret(text):
            yield expr.line, name, text, Confidence.MEDIUM


def _shaped(line: int, text: str) -> Iterator[tuple[int, str | None, str, Confidence]]:
    label = provider_shape(text)
    if label is not None:
        yield line, None, label, Confidence.HIGH
    elif url_password(text) is not None:
        yield line, None, "connection URL with an inline password", Confidence.HIGH


def _signing_key(name: str) -> bool:
    """Framework signing keys (Django/Flask SECRET_KEY, JWT secrets): any literal is a finding."""
    parts = words(name)
    return parts[-2:] in (["secret", "key"], ["signing", "key"]) or parts in (["jwt", "secret"], ["jwt", "key"])


_HEADER_NAME = re.compile(r"^(X-)?[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)+$")
_RATE_SPEC = re.compile(r"^\d+/\d*[a-z]+(/[a-z]+)?(\s*[,;]\s*\d+/\d*[a-z]+(/[a-z]+)?)*$")


def _names_or_configures(text: str) -> bool:
    """A literal that names where a credential travels or sets how it is used, not the credential:
    an HTTP header name (`HEADER_TOKEN = "X-Supervisor-Token"`), a rate limit for a password
    action (`"change_password": "5/m/user"`)."""
    return bool(_HEADER_NAME.match(text) or _RATE_SPEC.match(text.lower()))


def _names_itself(name: str, text: str) -> bool:
    """`PASSWORD_FIELD = "password"`-style literals that repeat the name are not secrets, and a
    hex digest under a password name is a stored hash (seed data), not the password."""
    flat = re.sub(r"[^a-z0-9]", "", text.lower())
    if words(name)[-1:] in (["password"], ["passwd"], ["pwd"]) and re.fullmatch(r"[0-9a-fA-F]{32,128}", text):
        return True
    return flat == "".join(words(name)) or flat in words(name)


def _finding(module: ir.Module, line: int, name: str | None, value: str, confidence: Confidence) -> Finding:
    source = module.line_text(line)
    if name is None:
        title = f"Hard-coded {value}"
        why = (f"The source contains a {value}. Anyone who can read the repository, a fork, a CI log "
               "or a backup can use it, and it stays in the Git history after it is removed.")
    else:
        title = {Confidence.HIGH: f"Hard-coded secret in {name}",
                 Confidence.MEDIUM: f"Hard-coded, guessable secret in {name}",
                 Confidence.LOW: f"Probable real secret as the fallback default of {name}"}[confidence]
        if re.search(r"[=!]=\s*['\"]|['\"]\s*[=!]=", source):
            title = f"{name[:1].upper()}{name[1:]} checked against a hard-coded literal"
        why = (f"`{name}` is a credential written into the source. Anyone with read access to the "
               "repository, its forks or CI logs holds it, and rotating it needs a code change."
               + (" A leaked SECRET_KEY lets an attacker forge session cookies and password-reset "
                  "tokens." if name.upper() == "SECRET_KEY" else ""))
        if confidence is Confidence.LOW:
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
