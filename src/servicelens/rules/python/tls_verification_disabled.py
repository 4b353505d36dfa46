"""TLS verification disabled: outbound connections that accept any certificate.

## What it finds
- `verify=False` on requests / httpx calls, sessions and clients (`requests.get(url, verify=False)`,
  `httpx.Client(verify=False)`, `session.verify = False`), and on boto3 clients;
- aiohttp `ssl=False` / `verify_ssl=False` (`TCPConnector(ssl=False)`, `session.get(url, ssl=False)`);
- `ssl._create_unverified_context()`, `ssl._create_default_https_context = ssl._create_unverified_context`;
- `ctx.verify_mode = ssl.CERT_NONE`, `ctx.check_hostname = False`, `cert_reqs=ssl.CERT_NONE` / `"CERT_NONE"`.

## Why it matters
Without certificate and host-name checks anyone on the network path (a compromised Wi-Fi,
a cloud neighbour, a proxy) can impersonate the server, read the API keys and customer
data sent to it and alter its answers.

## Example
```python
resp = requests.post(PAYMENTS_URL, json=body, verify=False)
```
Use instead:
```python
resp = requests.post(PAYMENTS_URL, json=body, verify="/etc/ssl/certs/internal-ca.pem")
```

## Fix
Keep verification on. For an internal CA pass its bundle (`verify="/path/ca.pem"`,
`ssl.create_default_context(cafile=...)`) instead of switching verification off.

## Known problems
Only literal `False` / `CERT_NONE` values are reported; a flag read from settings is not
followed. Test files are skipped. A function that reads the peer's certificate (`getpeercert`)
opens the connection to fetch it, and one that turns the context's checks back on for
configured modes applies a setting: neither is reported. Nor is a bypass inside an `if` on a
configuration flag named for TLS (`if self.smtp_skip_ssl_verify:`, `if not
settings.VERIFY_TLS:`): verification follows the operator's setting and is on unless they
switch it off. Example of what stays reported: `ctx.check_hostname = False` with no switch, or
under a test of request data. A request to a plain `http://` address written in the code
(`requests.get("http://127.0.0.1:9758/init", verify=False)`, directly or through a module
constant or an f-string that starts with it) opens no TLS session, so there is no certificate to
check: not reported. Such a request would use the setting only if the server redirected it to
`https://`, which is not followed (false negative).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix
from servicelens.analysis.node_dispatch import Site
from servicelens.rules.base import OnNodes, Rule
from servicelens.rules.python._common import (
    call_name, const_str, is_const, is_test_path, iter_exprs, location, module_constants,
)
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment
from servicelens.fixcode.tls import verifying

_HTTP_ROOTS = ("requests", "httpx", "boto3", "botocore", "aiohttp", "urllib3", "pysolr", "elasticsearch",
               "opensearchpy", "hvac", "zeep", "suds", "docker", "kubernetes", "slack_sdk")
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send",
                           "stream", "Client", "AsyncClient", "Session", "client", "resource",
                           "ws_connect", "TCPConnector", "ClientSession", "PoolManager"})
_UNVERIFIED_CONTEXT = "ssl._create_unverified_context"


def check(module: ir.Module, scope: ModuleScope, found: tuple[Site, ...]) -> Iterable[Finding]:
    """Handed the file's assignments and calls in walk order (dispatch by node kind)."""
    if is_test_path(module.path):
        return
    seen: set[int] = set()
    purposes: dict[int, tuple[bool, frozenset[str]]] = {}
    switched: list[tuple[int, int]] | None = None
    for site in found:
        if site.stmt is None:  # a decorator, default or annotation: no statement of a body
            continue
        function, node = site.function, site.node
        issues = _assign_issues(node) if type(node) is ir.Assign else _call_issues(node, scope, function)
        for line, what in issues:
            key = id(function)
            if key not in purposes:
                purposes[key] = _purpose(function)
            reads_certificate, reenabled = purposes[key]
            if switched is None:
                switched = _operator_switched(module)
            if line in seen or reads_certificate or _attribute(what) in reenabled \
                    or any(start <= line <= end for start, end in switched):
                continue
            seen.add(line)
            yield make_finding(
                "tls-verification-disabled", location(module, ir.Const(line, 0, None)),
                f"TLS certificate verification disabled ({what})",
                "The connection accepts any certificate, so anyone on the network path can impersonate "
                "the server, read the credentials and data sent to it and tamper with its responses.",
                confidence=Confidence.HIGH, fix=_fix(strip_comment(module.line_text(line)), what), rule=RULE.id, key=what,
            )


_CONFIG_ROOTS = frozenset({"self", "cls", "settings", "config", "conf", "cfg", "options", "opts", "environ",
                           "getenv", "current_app", "app"})
_VERIFY_WORDS = ("verify", "ssl", "tls", "cert", "insecure", "secure")


def _operator_switched(module: ir.Module) -> list[tuple[int, int]]:
    """Line ranges (both branches) of every `if` that decides on a configuration flag about
    verification (`if self.smtp_skip_ssl_verify:`, `if not settings.VERIFY_TLS:`,
    `if os.getenv("INSECURE_TLS"):`): verification then follows the operator's setting, on by
    default, and turning it off is their documented, deliberate choice (TRIAGE: bounded by
    configuration is a nit). Both signals are needed: read from configuration, named for TLS."""
    ranges = []
    for body in (module.body, *(function.body for function in module.functions)):
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.If) and _configured_tls_flag(stmt.test):
                ranges.extend((block[0].line, _block_end(block)) for block in (stmt.body, stmt.orelse) if block)
    return ranges


def _block_end(block: tuple[ir.Stmt, ...]) -> int:
    return max(getattr(s, "end_line", 0) or s.line for s in block)


def _configured_tls_flag(test: ir.Expr) -> bool:
    if isinstance(test, ir.Unary) and test.op == "not":
        return _configured_tls_flag(test.operand)
    if isinstance(test, ir.BoolOp):
        return any(_configured_tls_flag(v) for v in test.values)
    names: list[str] = []
    node: ir.Expr | None = test
    while node is not None:
        if isinstance(node, ir.Call):
            names.extend(c for a in node.args if (c := const_str(a)))
            node = node.func
        elif isinstance(node, ir.Attr):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ir.Subscript):
            names.extend(c for c in (const_str(node.index),) if c)
            node = node.value
        elif isinstance(node, ir.Name):
            names.append(node.id)
            node = None
        else:
            return False
    if len(names) < 2 or not _CONFIG_ROOTS & {n.lower() for n in names}:
        return False  # a local variable or a bare name: not known to be configuration
    return any(word in n.lower() for n in names for word in _VERIFY_WORDS)


_PEER_CERTIFICATE = frozenset({"getpeercert", "get_peer_certificate", "get_peer_cert_chain", "get_verified_chain",
                               "get_unverified_chain"})


def _purpose(function: ir.Function | None) -> tuple[bool, frozenset[str]]:
    """(does the function read the peer's certificate, which context attributes it turns back on).

    A connection opened to fetch the server's certificate (for an expiry report or to pin it)
    trusts nothing sent over it, so not verifying is its point. A context whose checks the same
    function turns back on for some configured modes (`if mode == VERIFY_FULL:
    context.check_hostname = True`) applies a setting, it does not hard-code the bypass."""
    if function is None:
        return False, frozenset()
    reads = False
    enabled: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        for expr in iter_exprs(stmt):
            if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in _PEER_CERTIFICATE:
                reads = True
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Attr) and target.attr == "check_hostname" and is_const(stmt.value, True):
                    enabled.add("check_hostname")
                if isinstance(target, ir.Attr) and target.attr == "verify_mode" and not _is_cert_none(stmt.value):
                    enabled.add("verify_mode")
    return reads, frozenset(enabled)


def _attribute(what: str) -> str:
    """The context attribute a finding is about (`check_hostname = False` -> check_hostname)."""
    head = what.split(" ", 1)[0]
    return head if head in ("check_hostname", "verify_mode") else ""


def _assign_issues(stmt: ir.Assign) -> Iterator[tuple[int, str]]:
    if stmt.value is None:
        return
    for target in stmt.targets:
        if not isinstance(target, ir.Attr):
            continue
        if target.attr == "verify" and is_const(stmt.value, False):
            yield stmt.line, f"{ir.dotted_name(target) or 'session.verify'} = False"
        elif target.attr == "check_hostname" and is_const(stmt.value, False):
            yield stmt.line, "check_hostname = False"
        elif target.attr == "verify_mode" and _is_cert_none(stmt.value):
            yield stmt.line, "verify_mode = CERT_NONE"
        elif target.attr == "_create_default_https_context" and \
                ir.dotted_name(stmt.value) in (_UNVERIFIED_CONTEXT, "_create_unverified_context"):
            yield stmt.line, "unverified default HTTPS context for the whole process"


def _call_issues(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> Iterator[tuple[int, str]]:
    found = _call_issue(call, call_name(call, scope, function))
    if found is not None and not (found in ("verify=False", "ssl=False") and _plain_http(call, scope)):
        yield call.line, found


# where a client call takes the address it connects to: `get(url)`, `request(method, url)`, `Client(base_url=)`
_URL_KEYWORDS = ("url", "base_url", "endpoint_url")
_PLAIN_SCHEMES = ("http://", "ws://")


def _plain_http(call: ir.Call, scope: ModuleScope) -> bool:
    """The call connects to a plain `http://` address written in the code: no TLS session is opened,
    so switching certificate checks off changes nothing."""
    method = ir.last_name(call.func) or ""
    url = next((kw.value for kw in call.kwargs if kw.name in _URL_KEYWORDS), None)
    if url is None and call.args:
        url = call.args[1] if method == "request" and len(call.args) > 1 else call.args[0]
    head = _literal_head(url, scope)
    return head is not None and head.lower().startswith(_PLAIN_SCHEMES)


def _literal_head(expr: ir.Expr | None, scope: ModuleScope, depth: int = 0) -> str | None:
    """The text an address starts with: a literal, an f-string's or a `+` concatenation's literal
    head, or a module constant bound to one."""
    if expr is None or depth > 3:
        return None
    if isinstance(expr, ir.Const):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, ir.FormattedString):
        first = expr.parts[0] if expr.parts else None
        return first.value if isinstance(first, ir.Const) and isinstance(first.value, str) else None
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        return _literal_head(expr.left, scope, depth + 1)
    if isinstance(expr, ir.Name):
        constants = scope.memo("module-constant-values", lambda: {
            name: stmt.value for name, stmt in module_constants(scope.module).items() if stmt.value is not None})
        return _literal_head(constants.get(expr.id), scope, depth + 1)
    return None


def _call_issue(call: ir.Call, name: str) -> str | None:
    if name == _UNVERIFIED_CONTEXT:
        return "ssl._create_unverified_context()"
    last = name.rsplit(".", 1)[-1]
    http_like = name.split(".", 1)[0] in _HTTP_ROOTS or last in _HTTP_METHODS
    if http_like and is_const(call.kwarg("verify"), False):
        return "verify=False"
    if http_like and (is_const(call.kwarg("ssl"), False) or is_const(call.kwarg("verify_ssl"), False)):
        return "ssl=False"
    cert_reqs = call.kwarg("cert_reqs")
    if cert_reqs is not None and _is_cert_none(cert_reqs):
        return "cert_reqs=CERT_NONE"
    return None


def _is_cert_none(expr: ir.Expr) -> bool:
    name = ir.dotted_name(expr) or const_str(expr) or ""
    return name.rsplit(".", 1)[-1] == "CERT_NONE"


def _fix(line: str, what: str) -> Fix:
    """The statement itself with verification back on (no code when the fix is to delete it)."""
    code = verifying(line) or ""
    if what.startswith("unverified default HTTPS context"):
        description = ("Delete the assignment: it turns verification off for every HTTPS connection of the process. "
                       "Load a private CA with ssl.create_default_context(cafile=...) where it is needed.")
    elif "ssl=False" in what:
        description = "Pass a verifying SSL context (ssl.create_default_context(cafile=...) for a private CA)."
    elif "verify" in what and "verify_mode" not in what:
        description = ("Remove verify=False. If the server uses a private CA, point verify at its bundle instead "
                       "of disabling the check.")
    else:
        description = ("Use a verifying context: ssl.create_default_context() keeps check_hostname=True and "
                       "verify_mode=CERT_REQUIRED; load a private CA with cafile= instead of turning checks off.")
    return Fix(description, code, "python" if code else "")


RULE = Rule("py-tls-verification-disabled", frozenset({"tls-verification-disabled"}), "python",
            OnNodes((ir.Assign, ir.Call), check), requires=("verify", "ssl", "cert_none", "check_hostname", "unverified"))
