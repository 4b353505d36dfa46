"""Weak cipher: a broken algorithm, ECB mode, a fixed IV/nonce or a key too short.

## What it finds
Encryption set up with PyCryptodome (`Crypto.Cipher`, `Cryptodome.Cipher`), `cryptography`
(hazmat ciphers, modes and AEAD classes, RSA/DSA key generation) or pyDes, where
- the cipher is broken or legacy: DES, 3DES/TripleDES, RC4/ARC4, RC2, Blowfish, CAST5,
  IDEA, SEED (`DES.new(...)`, `algorithms.TripleDES(key)`, `pyDes.des(...)`);
- the mode is ECB (`AES.new(key, AES.MODE_ECB)`, `modes.ECB()`);
- the IV or nonce is a constant, the same for every message (`AES.new(key, AES.MODE_CBC,
  b"0000000000000000")`, `modes.GCM(b"\\x00" * 12)`, `AESGCM(key).encrypt(NONCE, data, None)`,
  a module constant or a local assigned once from a literal);
- the key is too short: an RSA/DSA key below 2048 bits (`rsa.generate_private_key(65537,
  1024)`, `RSA.generate(1024)`), or a symmetric key made from fewer than 16 bytes of constant
  material (`b"secret".ljust(16)`, `b"key" * 8`, `hashlib.sha256(b"secret").digest()`).

Names are resolved through the module's imports, so `from Crypto.Cipher import AES as A`
and `from cryptography.hazmat.primitives.ciphers import modes` are both followed.

## Why it matters
DES keys are brute-forced in hours; RC4 biases and the 64-bit blocks of 3DES and Blowfish
(Sweet32) leak plaintext from enough ciphertext; ECB encrypts equal blocks to equal output,
so records with the same prefix or field show it; a fixed IV makes equal messages encrypt
equally, and a repeated nonce in CTR/GCM/ChaCha20 turns the cipher into a two-time pad and
lets anyone forge GCM tags. A 1024-bit RSA key is within reach of a well-funded attacker,
and a key made from a short constant is guessed, not cracked. Card numbers, tokens or
personal data protected this way are effectively plaintext to whoever gets the ciphertext.

## Example
```python
from Crypto.Cipher import AES

def encrypt_card(number: str) -> bytes:
    cipher = AES.new(settings.CARD_KEY, AES.MODE_ECB)
    return cipher.encrypt(pad(number.encode(), 16))
```
Use instead:
```python
import os
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def encrypt_card(number: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(settings.CARD_KEY).encrypt(nonce, number.encode(), None)
```

## Fix
Use AES-GCM or ChaCha20-Poly1305 with a random 128/256-bit key from a key store and a fresh
`os.urandom` nonce per message (stored beside the ciphertext), or `cryptography.fernet.Fernet`
when you just need "encrypt this value". Generate RSA keys of at least 2048 bits.

## Known problems
Only values visible in the call's own function or as module constants are judged: an IV that
is a constant in another module or an attribute set elsewhere is not seen (false negative),
and a nonce produced by a counter that never repeats is fine but is never constant, so it is
not reported either. Legacy ciphers used to talk to a system you cannot change (DES in an
old protocol, 3DES with a payment HSM) are still reported: suppress them with a reason.
Test code is skipped. Hashing, random numbers and Fernet are other concerns or fine.
Vocabulary: models/vocabulary/crypto.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping


from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.fixcode.crypto import rewrite_cipher
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import is_test_path, module_constants
from servicelens.taint.scope import ModuleScope


@dataclass(frozen=True, slots=True)
class CryptoVocabulary:
    broken_ciphers: Mapping[str, str]
    moded_ciphers: frozenset[str]
    ecb_modes: frozenset[str]
    iv_modes: Mapping[str, str]
    aead_classes: frozenset[str]
    key_generators: Mapping[str, tuple[int, str]]
    min_bits: int
    min_key_bytes: int


@lru_cache(maxsize=1)
def crypto_vocabulary() -> CryptoVocabulary:
    data = vocabulary_file("crypto.yaml")
    return CryptoVocabulary(
        broken_ciphers=dict(data["broken_ciphers"]),
        moded_ciphers=frozenset(data["moded_ciphers"]),
        ecb_modes=frozenset(data["ecb_modes"]),
        iv_modes=dict(data["iv_modes"]),
        aead_classes=frozenset(data["aead_classes"]),
        key_generators={k: (v["position"], v["keyword"]) for k, v in data["key_generators"].items()},
        min_bits=int(data["min_bits"]),
        min_key_bytes=int(data["min_key_bytes"]),
    )


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "cipher" | "ecb" | "iv" | "rsa" | "key"
    title: str
    detail: str


class _Values:
    """Constant values a name holds in one function: a local assigned only from constants,
    else a module constant. Depth-limited so `a = b; b = a` cannot loop."""

    def __init__(self, function: ir.Function | None, body: tuple[ir.Stmt, ...], module: ir.Module):
        self.local: dict[str, list[ir.Expr | None]] = {}
        for stmt in ir.walk_stmts(body) if function is not None else ():
            for name in ir.assigned_names((stmt,)):
                plain = isinstance(stmt, ir.Assign) and stmt.op is None \
                    and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets)
                self.local.setdefault(name, []).append(stmt.value if plain else None)  # type: ignore[union-attr]
        self.params = {p.name for p in function.params} if function is not None else set()
        self.module = {k: s.value for k, s in module_constants(module).items() if s.value is not None}

    def resolve(self, expr: ir.Expr, depth: int = 0) -> ir.Expr | None:
        """The defining expression of a name, or the expression itself."""
        if not isinstance(expr, ir.Name) or depth > 3:
            return expr
        if expr.id in self.params:
            return None
        if expr.id in self.local:
            values = self.local[expr.id]
            if len(values) != 1 or values[0] is None:
                return None
            return self.resolve(values[0], depth + 1)
        value = self.module.get(expr.id)
        return self.resolve(value, depth + 1) if value is not None else None


def material(expr: ir.Expr | None, values: _Values, depth: int = 0) -> int | None:
    """Bytes of constant material in `expr`, or None when any part is not constant:
    `b"abc"` 3, `b"\\0" * 16` 1, `b"k".ljust(16, b"0")` 1, `"s".encode()` 1, `bytes(16)` 0."""
    if expr is None or depth > 6:
        return None
    expr = values.resolve(expr)
    if isinstance(expr, ir.Const):
        return len(expr.value) if isinstance(expr.value, (str, bytes)) else None
    if isinstance(expr, ir.BinOp) and expr.op == "*":
        for text, count in ((expr.left, expr.right), (expr.right, expr.left)):
            size = material(text, values, depth + 1)
            if size is not None and isinstance(values.resolve(count), ir.Const):
                return size
        return None
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        left, right = material(expr.left, values, depth + 1), material(expr.right, values, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(expr, ir.Call):
        return _call_material(expr, values, depth)
    return None


def _call_material(call: ir.Call, values: _Values, depth: int) -> int | None:
    func = call.func
    if isinstance(func, ir.Attr) and func.attr in ("encode", "ljust", "rjust", "zfill", "center", "digest",
                                                    "hexdigest", "upper", "lower"):
        if func.attr in ("digest", "hexdigest"):
            inner = func.value  # hashlib.sha256(b"secret").digest(): a constant key, however long
            if isinstance(inner, ir.Call) and (ir.dotted_name(inner.func) or "").startswith("hashlib.") and inner.args:
                return material(inner.args[0], values, depth + 1)
            return None
        return material(func.value, values, depth + 1)
    name = ir.dotted_name(func) or ""
    if name in ("bytes", "bytearray") and call.args:
        arg = values.resolve(call.args[0])
        if isinstance(arg, ir.Const) and isinstance(arg.value, int):
            return 0  # bytes(16): all zeros
        return _seq_material(arg) if isinstance(arg, ir.Seq) else material(arg, values, depth + 1)
    if name in ("bytes.fromhex", "binascii.unhexlify", "base64.b64decode") and call.args:
        size = material(call.args[0], values, depth + 1)
        return None if size is None else size // 2
    return None


def _seq_material(seq: ir.Expr | None) -> int | None:
    if isinstance(seq, ir.Seq) and all(isinstance(e, ir.Const) for e in seq.elts):
        return len(seq.elts)
    return None


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    vocab = crypto_vocabulary()
    index = file_index(module, scope)
    for function, body in all_bodies(module):
        values = _Values(function, body, module)
        for call in index.block_of_kind(body, ir.Call):
            problem = next(iter(_problems(call, scope, function, values, vocab)), None)
            if problem is not None:
                yield _finding(module, call, problem)


def _qualified(expr: ir.Expr, scope: ModuleScope, function: ir.Function | None) -> str:
    name = scope.qualify(ir.dotted_name(expr) or "", function, set()) or ""
    return "Crypto." + name[len("Cryptodome."):] if name.startswith("Cryptodome.") else name


def _problems(call: ir.Call, scope: ModuleScope, function: ir.Function | None, values: _Values,
              vocab: CryptoVocabulary) -> Iterator[Problem]:
    name = _qualified(call.func, scope, function)
    if name in vocab.broken_ciphers:
        algorithm = vocab.broken_ciphers[name]
        yield Problem("cipher", f"{algorithm} cipher",
                      f"{algorithm} is broken or obsolete: its key or block size no longer resists attack.")
        return
    if name in vocab.moded_ciphers:
        yield from _moded(call, scope, function, values, vocab)
        return
    last = name.rsplit(".", 1)[-1]
    if name.startswith("cryptography.") and last in vocab.ecb_modes:
        yield Problem("ecb", "ECB mode", "ECB encrypts equal plaintext blocks to equal ciphertext blocks.")
    elif name in vocab.iv_modes:
        yield from _static_iv(call.arg(0, vocab.iv_modes[name]), values, last)
    elif name in vocab.key_generators:
        yield from _key_size(call, *vocab.key_generators[name], vocab.min_bits, name)
    elif name in vocab.aead_classes or name == "cryptography.hazmat.primitives.ciphers.algorithms.AES":
        yield from _short_key(call.arg(0, "key"), values, vocab)
    elif isinstance(call.func, ir.Attr) and call.func.attr in ("encrypt", "encrypt_and_digest") \
            and _is_aead(call.func.value, scope, function, values, vocab):
        yield from _static_iv(call.arg(0, "nonce"), values, "AEAD")


def _moded(call: ir.Call, scope: ModuleScope, function: ir.Function | None, values: _Values,
           vocab: CryptoVocabulary) -> Iterator[Problem]:
    mode = call.arg(1, "mode")
    resolved = values.resolve(mode) if mode is not None else None
    if resolved is not None and (ir.dotted_name(resolved) or "").rsplit(".", 1)[-1] in vocab.ecb_modes:
        yield Problem("ecb", "ECB mode", "ECB encrypts equal plaintext blocks to equal ciphertext blocks.")
        return
    for iv in (call.arg(2, "iv"), call.kwarg("nonce"), call.kwarg("IV")):
        if iv is not None:
            yield from _static_iv(iv, values, (ir.dotted_name(mode) or "").rsplit(".", 1)[-1].removeprefix("MODE_") if mode else "")
    yield from _short_key(call.arg(0, "key"), values, vocab)


def _static_iv(iv: ir.Expr | None, values: _Values, mode: str) -> Iterator[Problem]:
    if iv is None or material(iv, values) is None:
        return
    yield Problem("iv", f"constant IV/nonce{f' ({mode})' if mode else ''}",
                  "the IV/nonce is a constant, so every message is encrypted with the same one.")


def _short_key(key: ir.Expr | None, values: _Values, vocab: CryptoVocabulary) -> Iterator[Problem]:
    size = material(key, values) if key is not None else None
    if size is not None and size < vocab.min_key_bytes:
        yield Problem("key", "key made from a short constant",
                      f"the key is built from {size} byte(s) of constant text, so it is guessed, not cracked.")


def _key_size(call: ir.Call, position: int, keyword: str, min_bits: int, name: str) -> Iterator[Problem]:
    size = call.arg(position, keyword)
    if isinstance(size, ir.Const) and isinstance(size.value, int) and not isinstance(size.value, bool) \
            and size.value < min_bits:
        algorithm = "DSA" if ".dsa." in name.lower() or ".DSA." in name else "RSA"
        yield Problem("rsa", f"{size.value}-bit {algorithm} key",
                      f"a {size.value}-bit {algorithm} key is below the {min_bits}-bit minimum and within "
                      "reach of factoring/discrete-log attacks.")


def _is_aead(receiver: ir.Expr, scope: ModuleScope, function: ir.Function | None, values: _Values,
             vocab: CryptoVocabulary) -> bool:
    resolved = values.resolve(receiver)
    return isinstance(resolved, ir.Call) and _qualified(resolved.func, scope, function) in vocab.aead_classes


_FIXES = {
    "cipher": "Replace it with AES-GCM under a new 256-bit key and a random nonce per message, stored with the "
              "ciphertext; keep the old cipher and key only to decrypt and re-encrypt existing data.",
    "ecb": "Use an authenticated mode (GCM) with a random nonce per message instead of ECB, and store the nonce "
           "and tag with the ciphertext.",
    "iv": "Generate a fresh random IV/nonce for every message and store it with the ciphertext.",
    "rsa": "Generate keys of at least 2048 bits (3072 for keys that must last years).",
    "key": "Use a random 256-bit key from a key store or environment, or derive one from a passphrase "
           "with a slow KDF (scrypt, PBKDF2 with a salt).",
}


def _fix(module: ir.Module, call: ir.Call, problem: Problem) -> Fix:
    """The offending call rewritten in place (same key, data and names), or the description alone."""
    code = "\n".join(module.lines[call.line - 1:(call.end_line or call.line)])
    fixed = rewrite_cipher(problem.kind, code, ir.dotted_name(call.func) or "")
    return Fix(_FIXES[problem.kind], fixed or "", "python" if fixed else "")


def _finding(module: ir.Module, call: ir.Call, problem: Problem) -> Finding:
    confidence = Confidence.MEDIUM if problem.kind == "key" else Confidence.HIGH
    return make_finding(
        "weak-cipher", Location(module.path, call.line, call.end_line or call.line),
        f"Weak cryptography: {problem.title}",
        f"{problem.detail[0].upper()}{problem.detail[1:]} Data protected this way can be read (or, without "
        "authentication, altered) by whoever obtains the ciphertext: a database dump, a backup, captured traffic.",
        severity=Severity.MEDIUM, confidence=confidence,
        fix=_fix(module, call, problem),
        rule=RULE.id, key=f"{problem.kind}:{problem.title}",
    )


RULE = Rule("py-weak-cipher", frozenset({"weak-cipher"}), "python", check,
            requires=("crypto", "pydes", "cipher"))
