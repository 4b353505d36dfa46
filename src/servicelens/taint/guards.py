"""Conditions that stop bad input: which variables a test proves safe, and in which branch.

`if ".." in name: abort(400)` proves `name` safe for paths when the test is false; the
engine applies that to the else branch, and because the if-branch exits, to everything
after the `if` as well. Allow-list membership, `isdigit()`, anchored whitelisting regexes, a
regex anchored at the start that pins a URL to this site or one named host (`^/[a-z]+`,
`^https://docs\\.example\\.com/`: ssrf and open-redirect only),
equality with a constant, JavaScript `typeof` checks and URL host checks (the parsed host equal to a
fixed host, in a constant list, or ending in a fixed `.domain`; not a prefix or substring of the
whole URL, which `https://trusted.example.evil.net` passes) are recognised the same way (the list
may be a parameter of the function, as handed in: `def safe_target(url, allowed_hosts)` checks
against whatever list its callers keep), and so is a path
containment check: `Path.is_relative_to(base)`, or a predicate named for it given the path and the
directory (`is_path_inside(target, base)`, `is_file_in_dir(path, root)`), or named for its own
directory (`path_is_in_ui_directory(p)`), or pathlib's `base in target.parents`.

A pattern may be compiled first (`ID_RX = re.compile(...)` at module level or in the function,
then `ID_RX.fullmatch(x)`, or `... is None`); one that keeps the value a single path component
(no separator, neither `.` nor `..`: taint.patterns) guards it for paths even when its class
admits a dot. A project predicate whose body keeps a URL on this site (taint.url_checks, read in
whichever module defines it), or, when no reviewed body says, one named for it (`is_relative_url(x)`,
`isLocalUrl(x)`), guards what it checks, also the value after a single-slash prefix
(`is_relative_url("/" + x)`: `/${x}` is then on this site too). The engine applies guards to the
branches of an `if` and of a conditional expression (`ok(x) ? x : "/"`) alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from servicelens import ir
from servicelens.taint.kinds import SINK_KINDS
from servicelens.taint.models import ALL
from servicelens.taint.patterns import matcher_anchor, one_path_component

ALL_KINDS = frozenset({ALL})
PATH = frozenset({"path-traversal"})
URL = frozenset({"ssrf", "open-redirect"})
# what a same-site URL check proves: the value names a place on this site, so it is no longer raw
# client text for a page, a log line, or the session (a `next` URL kept for after the login)
_CHECKED_URL = URL | {"xss", "header-injection", "trust-boundary"}
QUOTED = frozenset({"xpath-injection", "sql-injection"})
# a character-class check leaves no room for metacharacters, but the value is still the
# client's: storing it in the session still crosses the trust boundary
_CHAR_CLASS_CLEANSES = SINK_KINDS - {"trust-boundary"}
_CHAR_CHECKS = {"isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal", "isidentifier", "isascii_alnum"}
_PATH_CHARS = {"..", "/", "\\", "../", "..\\", "\x00"}
_VALIDATOR = re.compile(r"(?i)^(is_|has_|check_|validate_|ensure_)?(safe|allow(ed)?|permitted|whitelisted|valid)(_|$)|"
                        r"_(is_safe|safe|allowed|whitelisted)$|^safe_for_")
_URL_WORDS = re.compile(r"(?i)url|redirect|host|domain|uri")
_PATH_WORDS = re.compile(r"(?i)path|file|dir")
# a predicate named for containment (`is_path_inside(child, base)`, `is_file_in_dir(p, root)`,
# `is_within_directory(p, root)`): true only when its first argument lies under the other
_CONTAINMENT = re.compile(r"(?i)(^|_)(inside|within|contained|under|subpath|in(_[a-z0-9]+)*_(dir|directory|folder|root)|"
                          r"relative_to)(_|$)")
# a predicate named for a URL that stays on this site (`is_relative_url`, `isLocalUrl`, `is_same_origin`):
# true only for a path without a host or scheme of its own (trusted by name only when no reviewed body
# says otherwise; taint.url_checks judges one the review can read, in any module of the project).
# `relative`, `local` and `internal` alone say nothing of a URL (`is_local(path)`, `is_internal(user)`),
# so they count only beside a URL noun
_LOCAL_URL_CHECK = re.compile(r"(?i)^(is_?)?((relative|local|internal)_?(url|uri|link|href|redirect|target)|"
                              r"(same_?origin|same_?site|on_?site)(_?(url|uri|link|href|redirect|target))?)$")
# `local` and `internal` also name the private network a server must not be steered to (`is_internal_url(u)`
# before a fetch is the request forgery, not its guard): such a check guards only what a browser follows
_PRIVATE_NETWORK_WORDS = re.compile(r"(?i)local|internal")
# what parses a URL into parts whose host can be compared: Python's, and JavaScript's `new URL(x)`
URL_PARSERS = frozenset({"urlparse", "urlsplit", "URL", "urlparse_cached"})
_SAFE_REGEX_CHARS = re.compile(r"^[\^\$A-Za-z0-9_\-\[\]\{\}\(\)\+\*\?,|]*$")


@dataclass(frozen=True, slots=True)
class Guard:
    name: str  # variable proven safe
    kinds: frozenset[str]  # sink kinds it is safe for ({"all"} for every kind)
    when_true: bool  # safe in the branch where the test is true (else: where it is false)


Qualifier = Callable[[ir.Expr], str | None]


@dataclass(frozen=True, slots=True)
class _Known:
    """What earlier assignments said about local names: `u = urlparse(x)` (u -> x) and
    `common = os.path.commonpath([p, root])` (common -> (p, root))."""

    urls: dict[str, str]
    common_paths: dict[str, tuple[str, ...]]
    patterns: Mapping[str, str] = field(default_factory=dict)  # names bound to `re.compile("...")`
    # whether a predicate called here proves a URL stays on this site, by its body wherever it is
    # defined (taint.url_checks); None when no body says, and its name decides
    same_site: Callable[[ir.Call], bool | None] = lambda call: None


def guards_of(test: ir.Expr, qualify: Qualifier, is_const: Callable[[ir.Expr], bool],
              parsed_urls: dict[str, str] | None = None,
              common_paths: dict[str, tuple[str, ...]] | None = None,
              patterns: Mapping[str, str] | None = None,
              same_site: Callable[[ir.Call], bool | None] | None = None) -> list[Guard]:
    """`parsed_urls`: variables holding `urlparse(x)` -> x, so `u.netloc in ALLOWED` guards x;
    `common_paths`: variables holding `os.path.commonpath([p, root])` -> (p, root), so
    `common == root` guards p; `patterns`: names bound to a compiled constant pattern, so
    `ID_RX.match(x)` guards x as `re.match` with that pattern would; `same_site`: whether a project
    predicate (`is_relative_url(x)`, `safe_next(x)`) proves its argument stays on this site, judged by
    its body wherever the caller can read it (None: by its name)."""
    known = _Known(parsed_urls or {}, common_paths or {}, patterns or {}, same_site or _unread)
    return _guards(test, qualify, is_const, known)


def _unread(call: ir.Call) -> bool | None:
    """No body to read: a same-site URL predicate is judged by its name."""
    return None


def _guards(test: ir.Expr, qualify: Qualifier, is_const: Callable[[ir.Expr], bool],
            parsed: _Known) -> list[Guard]:
    if isinstance(test, ir.Unary) and test.op == "not":
        return [Guard(g.name, g.kinds, not g.when_true) for g in _guards(test.operand, qualify, is_const, parsed)]
    if isinstance(test, ir.BoolOp):
        literal = _string_literal_check(test)
        if literal is not None:
            return [literal]
        per_value = [_guards(value, qualify, is_const, parsed) for value in test.values]
        wanted = test.op == "and"  # `a and b` true => both hold; `a or b` false => neither holds
        direct = [g for part in per_value for g in part if g.when_true == wanted]
        return direct + _common(per_value, not wanted)
    return _simple_guards(test, qualify, is_const, parsed)


def _string_literal_check(test: ir.BoolOp) -> Guard | None:
    """`not x.startswith(q) or not x.endswith(q) or q in x[1:-1]` is false only for a plain
    quoted string literal: evaluating that can only produce a string."""
    if test.op != "or" or len(test.values) != 3:
        return None
    seen: dict[str, set[str]] = {}
    for value in test.values:
        if isinstance(value, ir.Unary) and value.op == "not" and isinstance(value.operand, ir.Call) \
                and isinstance(value.operand.func, ir.Attr) and value.operand.func.attr in ("startswith", "endswith") \
                and _is_var(value.operand.func.value) and value.operand.args \
                and isinstance(value.operand.args[0], ir.Const) and value.operand.args[0].value in ("'", '"'):
            seen.setdefault(_var(value.operand.func.value), set()).add(f"{value.operand.func.attr}{value.operand.args[0].value}")
        elif isinstance(value, ir.Compare) and value.ops == ("in",) and isinstance(value.left, ir.Const) \
                and value.left.value in ("'", '"') and isinstance(value.comparators[0], ir.Subscript) \
                and _is_var(value.comparators[0].value):
            seen.setdefault(_var(value.comparators[0].value), set()).add(f"inner{value.left.value}")
    for name, parts in seen.items():
        for quote in ("'", '"'):
            if {f"startswith{quote}", f"endswith{quote}", f"inner{quote}"} <= parts:
                return Guard(name, frozenset({"code-injection"}), False)
    return None


def _common(per_value: list[list[Guard]], when_true: bool) -> list[Guard]:
    """`a or b` true => one of them holds: a variable every disjunct proves safe is safe
    (kinds intersected); dually for `a and b` false."""
    names = None
    for part in per_value:
        found = {g.name for g in part if g.when_true == when_true}
        names = found if names is None else names & found
    out = []
    for name in sorted(names or ()):
        kinds: frozenset[str] | None = None
        for part in per_value:
            mine = frozenset().union(*(g.kinds for g in part if g.name == name and g.when_true == when_true))
            kinds = mine if kinds is None else _intersect(kinds, mine)
        if kinds:
            out.append(Guard(name, kinds, when_true))
    return out


def _intersect(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    if ALL in a:
        return b
    if ALL in b:
        return a
    return a & b


def _simple_guards(test: ir.Expr, qualify: Qualifier, is_const: Callable[[ir.Expr], bool],
                   parsed: _Known) -> list[Guard]:
    if _is_var(test):  # `if x:` false means x is empty or None: nothing to inject
        return [Guard(_var(test), ALL_KINDS, False)]
    if isinstance(test, ir.Compare) and len(test.ops) == 1:
        return _compare_guards(test, qualify, is_const, parsed)
    if isinstance(test, ir.Call):
        return _call_guards(test, qualify, is_const, parsed)
    return []


def _compare_guards(test: ir.Compare, qualify: Qualifier, is_const: Callable[[ir.Expr], bool],
                    parsed: _Known) -> list[Guard]:
    op, left, right = test.ops[0], test.left, test.comparators[0]
    if op in ("in", "not in"):
        # `x in ALLOWED`: x is one of known values
        if _is_var(left) and is_const(right):
            return [Guard(_var(left), ALL_KINDS, op == "in")]
        # `root in target.parents`: the path lies under a directory (pathlib's containment test)
        if isinstance(right, ir.Attr) and right.attr == "parents" and _is_var(right.value):
            return [Guard(_var(right.value), PATH, op == "in")]
        # `".." in x`: x contains a path metacharacter
        if isinstance(left, ir.Const) and left.value in _PATH_CHARS and _is_var(right):
            return [Guard(_var(right), PATH, op == "not in")]
        # `"'" in x`: without the quote it cannot leave a quoted SQL/XPath literal
        if isinstance(left, ir.Const) and left.value in ("'", '"') and _is_var(right):
            return [Guard(_var(right), QUOTED, op == "not in")]
        # `urlparse(x).netloc in ALLOWED_HOSTS`
        host = _url_host_of(left, qualify, parsed)
        if host and is_const(right):
            return [Guard(host, URL, op == "in")]
        return []
    if op in ("is", "is not") and isinstance(right, ir.Const) and right.value is None and isinstance(left, ir.Call) \
            and matcher_anchor(ir.last_name(left.func)) is not None:
        # `if ID_RX.fullmatch(x) is None: abort(400)`: a match object is None exactly when the match failed
        return [Guard(g.name, g.kinds, g.when_true == (op == "is not"))
                for g in _call_guards(left, qualify, is_const, parsed)]
    if op in ("==", "!="):
        typed = _typeof_guard(left, right, op == "==") or _typeof_guard(right, left, op == "==")
        if typed:
            return [typed]
    if op in ("==", "!="):
        contained = _common_path_guards(left, right, qualify, parsed) or _common_path_guards(right, left, qualify, parsed)
        if contained:
            return [Guard(name, PATH, op == "==") for name in contained]
    if op in ("==", "!=", "is"):
        for var_side, other in ((left, right), (right, left)):
            if _is_var(var_side) and isinstance(other, ir.Const) and other.value is not None:
                return [Guard(_var(var_side), ALL_KINDS, op == "==")]
            if op != "is" and _is_var(var_side) and not isinstance(other, ir.Const) and is_const(other):
                # `if path != s.mac + ".png": abort(404)`: equal to a value the server computed
                return [Guard(_var(var_side), ALL_KINDS, op == "==")]
            host = _url_host_of(var_side, qualify, parsed)
            if host and is_const(other):
                return [Guard(host, URL, op == "==")]
    return []


# what a JavaScript `typeof` check proves: a string cannot be a query-operator object
# (`{"$ne": null}`); a number or a boolean carries no text at all
_TYPEOF_CLEANSES = {"string": frozenset({"nosql-injection"}), "number": ALL_KINDS, "boolean": ALL_KINDS}


def _typeof_guard(probe: ir.Expr, other: ir.Expr, equal: bool) -> Guard | None:
    """`typeof name === 'string'` (safe where true) / `typeof name !== 'string'` (safe where false)."""
    if not (isinstance(probe, ir.Unary) and probe.op == "typeof" and _is_var(probe.operand)):
        return None
    kinds = _TYPEOF_CLEANSES.get(other.value) if isinstance(other, ir.Const) and isinstance(other.value, str) else None
    return Guard(_var(probe.operand), kinds, equal) if kinds else None


def _constant_list(expr: ir.Expr) -> bool:
    """`['a', 'b']` or a constant's name (`ALLOWED_SORTS`)."""
    if isinstance(expr, ir.Seq):
        return all(isinstance(e, ir.Const) for e in expr.elts)
    name = ir.dotted_name(expr) or ""
    return bool(name) and name.rsplit(".", 1)[-1].isupper()


def _no_constants(expr: ir.Expr) -> bool:
    """No name is a known constant (the default of `_call_guards`)."""
    return False


def _call_guards(test: ir.Call, qualify: Qualifier, is_const: Callable[[ir.Expr], bool] = _no_constants,
                 parsed: _Known = _Known({}, {})) -> list[Guard]:
    func = test.func
    if isinstance(func, ir.Attr) and not test.args and func.attr in _CHAR_CHECKS and _is_var(func.value):
        return [Guard(_var(func.value), _CHAR_CLASS_CLEANSES, True)]
    if isinstance(func, ir.Attr) and func.attr in ("includes", "has") and len(test.args) == 1 \
            and (_constant_list(func.value) or is_const(func.value)):
        host = _url_host_of(test.args[0], qualify, parsed)
        if host:  # `ALLOWED_HOSTS.includes(new URL(x).hostname)`: x names one of those hosts
            return [Guard(host, URL, True)]
    if isinstance(func, ir.Attr) and func.attr in ("endswith", "endsWith") and len(test.args) == 1 \
            and _domain_suffix(test.args[0]):
        host = _url_host_of(func.value, qualify, parsed)
        if host:  # `u.hostname.endsWith('.okta.com')`: a host under a fixed domain, not an internal one
            return [Guard(host, URL, True)]
    if isinstance(func, ir.Attr) and func.attr in ("includes", "has") and len(test.args) == 1 \
            and _is_var(test.args[0]) and (_constant_list(func.value) or is_const(func.value)):
        # JavaScript's allow-lists: `ALLOWED.includes(x)`, a local `const types = ['read', 'write']`,
        # `new Set([...]).has(x)`
        return [Guard(_var(test.args[0]), ALL_KINDS, True)]
    if isinstance(func, ir.Attr) and func.attr == "test" and len(test.args) == 1 and _is_var(test.args[0]) \
            and isinstance(func.value, ir.Const) and isinstance(func.value.value, str) \
            and _whitelisting_regex(func.value.value, False):
        # JavaScript: `if (!/^[\w-]+\.png$/.test(name)) return res.sendStatus(400)`, an anchored allow-list
        return [Guard(_var(test.args[0]), ALL_KINDS, True)]
    if isinstance(func, ir.Attr) and func.attr == "test" and len(test.args) == 1 and _is_var(test.args[0]) \
            and isinstance(func.value, ir.Const) and isinstance(func.value.value, str) \
            and func.value.value.startswith("^") and _pins_url_start(func.value.value):
        return [Guard(_var(test.args[0]), URL, True)]  # `/^\/[a-z]/.test(next)`: a path on this site
    if isinstance(func, ir.Attr) and func.attr in ("startswith", "startsWith") and test.args \
            and _is_var_or_path_call(func.value, qualify):
        name = _var_inside(func.value)
        prefix = test.args[0]
        if isinstance(prefix, ir.Const) and prefix.value in ("/", "\\", ".."):
            return [Guard(name, PATH, False)] if name else []
        return [Guard(name, PATH, True)] if name else []
    qualified = qualify(func) or ""
    last = (qualified or ir.dotted_name(func) or "").rsplit(".", 1)[-1].lstrip("_")  # `_is_safe_url` is private
    # the value a check is about: its first argument by position, else its `url=` keyword
    # (`url_has_allowed_host_and_scheme(allowed_hosts=..., url=x)`), else its first keyword
    checked = test.args[0] if test.args else \
        test.kwarg("url") or (test.kwargs[0].value if test.kwargs and test.kwargs[0].name else None)
    read = parsed.same_site(test)  # False: a body that asks about the URL lets `/\\evil.net` through
    same_site = read if read is not None else _LOCAL_URL_CHECK.match(last) is not None
    if checked is not None and same_site:
        # `is_relative_url("/" + target)`: the target after a fixed local prefix
        checked = _after_local_prefix(checked) or checked
    if checked is None or not _is_var(checked):
        checked = None
    if same_site and _PRIVATE_NETWORK_WORDS.search(last):
        return [Guard(_var(checked), _CHECKED_URL - {"ssrf"}, True)] if checked is not None else []
    if last in ("url_has_allowed_host_and_scheme", "is_safe_url") or same_site:
        return [Guard(_var(checked), _CHECKED_URL, True)] if checked is not None else []
    if isinstance(func, ir.Attr) and func.attr == "is_relative_to" and test.args and _is_var(func.value):
        return [Guard(_var(func.value), PATH, True)]  # pathlib: `if not target.is_relative_to(base): abort(400)`
    if checked is not None and len(test.args) >= 2 and _CONTAINMENT.search(last) \
            and (_PATH_WORDS.search(last) or last.startswith("is_")):
        return [Guard(_var(checked), PATH, True)]
    if checked is not None and len(test.args) == 1 and _CONTAINMENT.search(last) and _PATH_WORDS.search(last):
        # `path_is_in_ui_directory(p)`: the directory is the predicate's own, named in it
        return [Guard(_var(checked), PATH, True)]
    if checked is not None and _VALIDATOR.search(last) \
            and _var(checked) not in ("request", "req", "self.request"):  # `allow_signup(request)` checks a policy
        # a project's own validator used as a condition: `if not safe_for_redirect(url): ...`
        kinds = _CHECKED_URL if _URL_WORDS.search(last) else \
            PATH if _PATH_WORDS.search(last) else ALL_KINDS
        return [Guard(_var(checked), kinds, True)]
    if qualified == "isinstance" and len(test.args) == 2 and _is_var(test.args[0]):
        numeric = _numeric_types(test.args[1])
        return [Guard(_var(test.args[0]), ALL_KINDS, True)] if numeric else []
    if qualified in ("re.match", "re.fullmatch", "re.search") and len(test.args) >= 2 \
            and isinstance(test.args[0], ir.Const) and _is_var(test.args[1]):
        return _pattern_guards(str(test.args[0].value), qualified.rsplit(".", 1)[-1], test.args[1])
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Name) and func.value.id in parsed.patterns \
            and matcher_anchor(func.attr) is not None and test.args and _is_var(test.args[0]):
        # `ID_RX.fullmatch(x)` with `ID_RX = re.compile("...")`: the same check as `re.fullmatch`
        return _pattern_guards(parsed.patterns[func.value.id], func.attr, test.args[0])
    return []


def _pattern_guards(pattern: str, method: str, checked: ir.Expr) -> list[Guard]:
    """What a value a pattern matched is safe for: every sink when the pattern is an anchored allow-list
    of plain characters; paths when it is one path component (taint.patterns); URLs when it pins the
    start of a URL to this site or a named host."""
    if _whitelisting_regex(pattern, method == "fullmatch"):
        return [Guard(_var(checked), ALL_KINDS, True)]
    anchor = matcher_anchor(method) or "none"
    if one_path_component(pattern, anchor):
        return [Guard(_var(checked), PATH, True)]
    if (method != "search" or pattern.startswith("^")) and _pins_url_start(pattern):
        return [Guard(_var(checked), URL, True)]
    return []


# what a pattern anchored at the start proves about a URL it matches (`re.match` anchors by itself):
# a local path, a slash and then neither a slash nor a backslash (`^/[a-z]+`; `//evil.net` and
# `/\evil.net` are other hosts to a browser), or a scheme and a host written out, ended by a
# slash, a port or the end (`^https://docs\.example\.com/`; not `^https://example\.com`, which
# `https://example.com.evil.net` matches)
_LOCAL_PATH_START = re.compile(r"^\^?(?:\\?/)(?:[A-Za-z0-9_-]|\\[wd]|\[(?!\^)[^\]/\\]*\])")
_FIXED_HOST_START = re.compile(r"^\^?https?s?\??:(?:\\?/){2}(?:[A-Za-z0-9-]|\\\.)+(?:\\?/|:|\$|\((?:\?:)?\\?/\|\$\))")


def _pins_url_start(pattern: str) -> bool:
    """Does a pattern anchored at the start only match URLs on this site, or on one host it names?"""
    return bool(_LOCAL_PATH_START.match(pattern) or _FIXED_HOST_START.match(pattern))


def _domain_suffix(expr: ir.Expr) -> bool:
    """`'.okta.com'`: a fixed domain with the dot before it, so only its own subdomains end so
    (`'okta.com'` alone is also the end of `evilokta.com`, anyone's to register)."""
    return isinstance(expr, ir.Const) and isinstance(expr.value, str) and expr.value.startswith(".") \
        and "." in expr.value[1:] and "/" not in expr.value


def _numeric_types(expr: ir.Expr) -> bool:
    names = [expr] if not isinstance(expr, ir.Seq) else list(expr.elts)
    return all(isinstance(n, ir.Name) and n.id in ("int", "float", "bool", "UUID", "Decimal") for n in names)


def _whitelisting_regex(pattern: str, full: bool) -> bool:
    """An anchored pattern whose literal characters cannot spell an injection."""
    anchored = full or (pattern.startswith("^") and (pattern.endswith("$") or pattern.endswith(r"\Z")))
    if not anchored:
        return False
    if "[^" in pattern:
        return False  # a negated class matches every character it does not name, line breaks too
    # escapes of a word class, a digit class, an anchor or a plain literal; any other (`\s`, `\S`,
    # `\n`) leaves its backslash, which the character check refuses
    stripped = re.sub(r"\\[dwZAz]|\\[-._]", "", pattern)
    return bool(_SAFE_REGEX_CHARS.match(stripped))


COMMON_PATH_CALLS = frozenset({"os.path.commonpath", "posixpath.commonpath", "os.path.commonprefix"})


def common_path_args(call: ir.Expr, qualify: Qualifier) -> tuple[str, ...]:
    """`os.path.commonpath([p, root])` -> ("p", "root"): the local names it compares."""
    if not isinstance(call, ir.Call) or qualify(call.func) not in COMMON_PATH_CALLS or len(call.args) != 1 \
            or not isinstance(call.args[0], ir.Seq):
        return ()
    names = tuple(_var(e) for e in call.args[0].elts if _is_var(e))
    return names if len(names) == len(call.args[0].elts) == 2 else ()


def _common_path_guards(probe: ir.Expr, other: ir.Expr, qualify: Qualifier, known: _Known) -> list[str]:
    """`os.path.commonpath([p, root]) == root` (or through a variable holding it): true only when
    p lies under root, so p is proven inside; the root is the name it is compared with."""
    names = known.common_paths.get(probe.id, ()) if isinstance(probe, ir.Name) else common_path_args(probe, qualify)
    if not names or not _is_var(other) or _var(other) not in names:
        return []
    return [name for name in names if name != _var(other)]


def _url_host_of(expr: ir.Expr, qualify: Qualifier, known: _Known) -> str | None:
    """`urlparse(x).netloc` / `.hostname` -> "x"; also `u.netloc` after `u = urlparse(x)`."""
    if isinstance(expr, ir.Attr) and expr.attr in ("netloc", "hostname", "host") \
            and isinstance(expr.value, ir.Name) and expr.value.id in known.urls:
        return known.urls[expr.value.id]
    if isinstance(expr, ir.Attr) and expr.attr in ("netloc", "hostname", "host") and isinstance(expr.value, ir.Call):
        name = (qualify(expr.value.func) or "").rsplit(".", 1)[-1]
        if name in URL_PARSERS and expr.value.args and _is_var(expr.value.args[0]):
            return _var(expr.value.args[0])
    return None


def _after_local_prefix(expr: ir.Expr) -> ir.Expr | None:
    """`"/" + target`, `` `/${target}` ``: the value a fixed local prefix (a single `/`) is put before.
    A check that the whole is a relative URL proves the value does not start a host (`//evil.net`)
    and names no scheme, so the same prefix before it later stays on this site."""
    if isinstance(expr, ir.BinOp) and expr.op == "+" and isinstance(expr.left, ir.Const) and expr.left.value == "/":
        return expr.right
    if isinstance(expr, ir.FormattedString) and len(expr.parts) == 2 and isinstance(expr.parts[0], ir.Const) \
            and expr.parts[0].value == "/":
        return expr.parts[1]
    return None


def _is_var_or_path_call(expr: ir.Expr, qualify: Qualifier) -> bool:
    return _is_var(expr) or (isinstance(expr, ir.Call) and bool(expr.args) and _var_inside(expr) is not None)


def _var_inside(expr: ir.Expr) -> str | None:
    """The variable a normalising call wraps: `os.path.realpath(os.path.join(BASE, p))` -> p's
    enclosing name. We take the last Name argument, the part that varies."""
    if _is_var(expr):
        return _var(expr)
    if isinstance(expr, ir.Call):
        for arg in reversed(expr.args):
            found = _var_inside(arg)
            if found:
                return found
    return None


def _is_var(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Name) or (isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name)
                                         and expr.value.id == "self") or expr_key(expr) is not None


def _var(expr: ir.Expr) -> str:
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id == "self":
        return f"self.{expr.attr}"
    key = expr_key(expr)
    assert key is not None
    return key


EXPR_KEY = "§"  # env keys that name a re-readable expression rather than a variable


def expr_key(expr: ir.Expr) -> str | None:
    """`request.args.get("next")` or `request.form["to"]`: reading it again after the check gives
    the value that was checked, so a guard on the expression protects the later reads. A mapping's
    `get(k)` (or `get(k, fixed default)`) and `[k]` read the same member: one key for both, so a
    check on `request.GET.get("next")` protects a later `request.GET["next"]`."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "get" \
            and 1 <= len(expr.args) <= 2 and all(isinstance(a, ir.Const) for a in expr.args) and not expr.kwargs:
        base = ir.dotted_name(expr.func.value)
        if base:
            return f"{EXPR_KEY}{base}[{expr.args[0].value!r}]"  # type: ignore[union-attr]
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "getlist" \
            and expr.args and all(isinstance(a, ir.Const) for a in expr.args) and not expr.kwargs:
        base = ir.dotted_name(expr.func.value)
        if base:
            return f"{EXPR_KEY}{base}.{expr.func.attr}({', '.join(repr(a.value) for a in expr.args)})"  # type: ignore[union-attr]
    if isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const):
        base = ir.dotted_name(expr.value)
        if base:
            return f"{EXPR_KEY}{base}[{expr.index.value!r}]"
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Attr):
        # `req.query.next`, `request.form.next`: a field of a request's parsed parts, read again
        dotted = ir.dotted_name(expr)
        if dotted and not dotted.startswith(("self.", "this.")):
            return f"{EXPR_KEY}{dotted}"
    return None
