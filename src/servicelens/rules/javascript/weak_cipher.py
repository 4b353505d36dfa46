"""Weak cipher: data encrypted with a broken algorithm, in ECB mode, or with an IV that is the
same for every message (node:crypto, WebCrypto, crypto-js).

## What it finds
The encryption calls of models/node/rules.yaml `cipher_calls` / `cipher_objects` where
- the algorithm is broken whatever the key (`des-ede3-cbc`, `rc4`, `bf-cbc`, `CryptoJS.DES`,
  `CryptoJS.TripleDES` ...: `broken_ciphers`), or is used in ECB mode (`aes-256-ecb`,
  `{ mode: CryptoJS.mode.ECB }`);
- the IV is the same for every message: bytes written out (`Buffer.alloc(16, 0)`,
  `Buffer.from('0123456789abcdef')`), a module-level value or an object's field (made once,
  even by `randomBytes`, and reused), a configured value (`process.env.IV`), followed through
  local assignments; or `crypto.createCipher`, which derives key and IV from the password and so
  repeats the IV by construction.
The algorithm is read through module and local constants (`const ALGORITHM = 'des-ede3-cbc'`).
An IV made by `crypto.randomBytes`/`getRandomValues` in the call's function, or handed in as a
parameter, is not judged.

## Why it matters
DES keys fall to brute force in hours; 3DES and Blowfish leak plaintext through their 64-bit
blocks (Sweet32) and RC4 through its biases; ECB encrypts equal blocks to equal output, so equal
card numbers or field prefixes show through. A repeated IV makes equal messages encrypt equally,
and in GCM/CTR a repeated nonce lets anyone XOR two ciphertexts and forge authentication tags.
What is protected this way is readable by whoever gets the ciphertext.

## Example
```js
const IV = Buffer.alloc(16, 0);
const cipher = crypto.createCipheriv('aes-256-cbc', key, IV);
```
Use instead:
```js
const iv = crypto.randomBytes(12);
const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
```

## Fix
Use AES-256-GCM (or ChaCha20-Poly1305) with a fresh random 12-byte IV per message, stored
beside the ciphertext with the authentication tag.

## Known problems
An IV made by a project helper is judged only when the helper's result is written out in the
function; decryption calls are not judged (the encrypting side is where the fix goes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import CipherKnowledge, NamedCall, cipher_knowledge, const_str, location, named_calls, option
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_SLICES = frozenset({"slice", "subarray", "substring", "substr", "toString"})
_FIX = ("const iv = crypto.randomBytes(12);\n"
        "const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);\n"
        "const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);")


@dataclass(frozen=True, slots=True)
class _Use:
    """One encryption call: its algorithm name (lower case, "" when not written out), the
    mode option when the library takes one apart from the name, and the IV expression."""
    call: NamedCall
    algorithm: str
    mode: str
    iv: ir.Expr | None
    fixed_iv: bool


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = cipher_knowledge()
    bindings = _Bindings(module)
    for named in named_calls(module, scope):
        use = _use(named, known, bindings)
        if use is None:
            continue
        problem = _problem(use, known.broken, known.constant_buffers, known.random_bytes, bindings)
        if problem is None:
            continue
        title, why = problem
        yield make_finding(
            "weak-cipher", location(module, named.call), title, why,
            severity=Severity.HIGH, confidence=Confidence.HIGH if use.algorithm else Confidence.MEDIUM,
            fix=Fix("Use AES-256-GCM with a fresh random 12-byte IV per message, stored beside the ciphertext "
                    "with its authentication tag.", _FIX, "javascript"),
            rule=RULE.id, key=f"{title}|{module.line_text(named.call.line)}",
        )


def _use(named: NamedCall, known: CipherKnowledge, bindings: "_Bindings") -> _Use | None:
    args = named.call.args
    spec = known.calls.get(named.name.removeprefix("node:"))
    function = named.function
    if spec is not None:
        if spec.options >= 0:
            options = args[spec.options] if len(args) > spec.options else None
            if not isinstance(options, ir.DictExpr):
                return None
            name = bindings.text(option(options, "name"), function)
            return _Use(named, name.lower(), "", option(options, "iv") or option(options, "counter"), False)
        if len(args) <= spec.algorithm:
            return None
        iv = args[spec.iv] if 0 <= spec.iv < len(args) else None
        return _Use(named, bindings.text(args[spec.algorithm], function).lower(), "", iv, spec.fixed_iv)
    library, _, rest = named.name.partition(".")
    cipher, _, method = rest.rpartition(".")
    objects = known.objects.get(library)
    if objects is None or method != objects.method or not cipher or "." in cipher:
        return None
    options = args[objects.options] if len(args) > objects.options else None
    mode = ir.dotted_name(option(options, "mode")) or "" if isinstance(options, ir.DictExpr) else ""
    iv = option(options, "iv") if isinstance(options, ir.DictExpr) else None
    return _Use(named, cipher.lower(), mode.rpartition(".")[2].lower(), iv, False)


def _problem(use: _Use, broken: frozenset[str], constants: frozenset[str], random: frozenset[str],
             bindings: "_Bindings") -> tuple[str, str] | None:
    algorithm = use.algorithm
    if any(algorithm == b or algorithm.startswith(b + "-") for b in broken):
        return (f"Data encrypted with {algorithm.upper()}, a broken cipher",
                "DES falls to brute force, 3DES/Blowfish leak plaintext through 64-bit blocks (Sweet32) and RC4 "
                "through its biases: whoever has the ciphertext can read it.")
    if algorithm.endswith("-ecb") or use.mode == "ecb":
        return (f"Data encrypted in ECB mode ({algorithm or use.mode})",
                "ECB encrypts equal blocks to equal output, so equal values and shared prefixes show through "
                "the ciphertext; there is no IV and no integrity.")
    if use.fixed_iv:
        return ("`createCipher` derives the same key and IV from the password every time",
                "Every message is encrypted with the same IV, so equal messages encrypt equally; the key comes "
                "from one unsalted MD5 round of the password.")
    if use.iv is not None and bindings.fixed(use.iv, use.call.function, constants, random):
        return ("The same IV is used for every message",
                "With a fixed IV equal plaintexts give equal ciphertexts; in GCM or CTR a repeated nonce lets "
                "anyone XOR two messages together and forge authentication tags.")
    return None


class _Bindings:
    """Where names of the module get their values: module-level assignments (made once, shared by
    every call) and each function's local assignments."""

    def __init__(self, module: ir.Module) -> None:
        self._module = _assignments(module.body)
        self._locals: dict[str, Mapping[str, list[ir.Expr]]] = {}
        self._functions = {f.qualname: f for f in module.functions}

    def _local(self, function: ir.Function | None) -> Mapping[str, list[ir.Expr]]:
        if function is None:
            return self._module
        found = self._locals.get(function.qualname)
        if found is None:
            found = self._locals[function.qualname] = _assignments(function.body)
        return found

    def _enclosing(self, function: ir.Function | None) -> Iterator[ir.Function]:
        while function is not None:
            yield function
            function = self._functions.get(function.parent) if function.parent else None

    def text(self, expr: ir.Expr | None, function: ir.Function | None) -> str:
        """A string written out, or the constant a name was given once."""
        for _ in range(4):
            text = const_str(expr)
            if text is not None or not isinstance(expr, ir.Name):
                return text or ""
            expr = self._single(expr.id, function)
        return ""

    def _single(self, name: str, function: ir.Function | None) -> ir.Expr | None:
        for scope in (*map(self._local, self._enclosing(function)), self._module):
            values = scope.get(name)
            if values is not None:
                return values[0] if len(values) == 1 else None
        return None

    def fixed(self, expr: ir.Expr, function: ir.Function | None, constants: frozenset[str],
              random: frozenset[str], depth: int = 0) -> bool:
        """The IV is the same bytes for every message: written out, made once at module level or
        on an object, or read from configuration; not made fresh by a random generator and not
        handed in by a caller."""
        if depth > 6:
            return False
        if isinstance(expr, ir.Const):
            return expr.value is not None
        if isinstance(expr, ir.FormattedString):
            return all(isinstance(p, ir.Const) for p in expr.parts)
        if isinstance(expr, ir.Seq):
            return all(isinstance(e, ir.Const) for e in expr.elts)
        if isinstance(expr, ir.Name):
            if expr.id == "self":
                return True
            for scope_function in self._enclosing(function):
                if any(p.name == expr.id for p in scope_function.params):
                    return False
                values = self._local(scope_function).get(expr.id)
                if values is not None:
                    return len(values) == 1 and self.fixed(values[0], scope_function, constants, random, depth + 1)
            values = self._module.get(expr.id)
            return values is not None and len(values) == 1  # made once when the module loads
        if isinstance(expr, ir.Attr):
            dotted = ir.dotted_name(expr) or ""
            if dotted.startswith("process.env."):
                return True
            root = expr.value
            while isinstance(root, ir.Attr):
                root = root.value
            return isinstance(root, ir.Name) and (root.id == "self" or (
                root.id in self._module and not isinstance(expr.value, ir.Call)))
        if isinstance(expr, ir.Call):
            name = ir.dotted_name(expr.func) or ""
            if name in random or name.rpartition(".")[2] in {r.rpartition(".")[2] for r in random}:
                return False
            if isinstance(expr.func, ir.Attr) and expr.func.attr in _SLICES:
                return self.fixed(expr.func.value, function, constants, random, depth + 1)
            if name in constants or name.rpartition(".")[2] in ("alloc", "from") and name.startswith("Buffer"):
                return bool(expr.args) and all(self.fixed(a, function, constants, random, depth + 1)
                                               or isinstance(a, ir.Const) for a in expr.args)
        return False


def _assignments(body: tuple[ir.Stmt, ...]) -> dict[str, list[ir.Expr]]:
    found: dict[str, list[ir.Expr]] = {}
    for stmt in body if body is not None else ():
        for inner in ir.walk_stmts((stmt,)):
            if isinstance(inner, ir.Assign) and inner.value is not None:
                for target in inner.targets:
                    if isinstance(target, ir.Name):
                        found.setdefault(target.id, []).append(inner.value)
    return found


RULE = Rule("js-weak-cipher", frozenset({"weak-cipher"}), "javascript", check, requires=("cipher", "encrypt"))
