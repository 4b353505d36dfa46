"""Weak hash: MD5/SHA-1 (`crypto.createHash('md5')`) protecting a password, token or signature.

## What it finds
`crypto.createHash(...)`/`createHmac(...)` with md5, md4, sha1 or ripemd160, reported as
`weak-password-hash` when what it hashes is named as a password (any fast digest is wrong
there, SHA-256 included: `crypto.createHash('sha256').update(password)`), and as `weak-hash`
when the value or the variable it lands in is named as a token, secret or signature.
Digests of file contents, cache keys and ETags are left alone.

## Why it matters
Fast hashes of passwords are reversed by GPU guessing at billions per second once the table
leaks; MD5 and SHA-1 collisions let a forger produce two inputs with one signature.

## Example
```js
const hash = crypto.createHash('md5').update(password).digest('hex');
```
Use instead:
```js
const hash = await bcrypt.hash(password, 12);
```

## Fix
Hash passwords with bcrypt, scrypt (`crypto.scrypt`) or argon2; sign and fingerprint with
SHA-256 or an HMAC-SHA-256.

## Known problems
Judged by names: a password held in a variable called `input` is not recognised.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import NamedCall, const_str, knowledge, location, named_calls
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_PASSWORD = frozenset({"password", "passwd", "pwd", "passphrase", "pass"})
_SECRET = frozenset({"token", "secret", "signature", "sig", "otp", "apikey", "key", "session", "nonce", "hmac"})
_SIGNATURE = frozenset({"signature", "sig", "hmac", "signed", "integrity"})
_BROKEN = frozenset({"md5", "md4", "md2"})  # collisions in seconds; SHA-1 only where a forged signature pays


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge()
    for named in named_calls(module, scope):
        if named.name not in known.digest_calls or not named.call.args:
            continue
        algorithm = (const_str(named.call.args[0]) or "").lower()
        context = _context_words(module, named)
        if context & _PASSWORD and named.name.endswith("createHash"):
            yield _finding(module, named, "weak-password-hash", f"Password hashed with a fast digest ({algorithm or 'dynamic'})",
                           "A leaked table of fast password hashes is reversed by GPU guessing at billions per second.",
                           "Hash passwords with bcrypt, scrypt or argon2, which are slow by design.",
                           _bcrypt_fix(module.line_text(named.call.line)))
        elif algorithm in known.weak_digests and context & (_SECRET if algorithm in _BROKEN else _SIGNATURE):
            yield _finding(module, named, "weak-hash", f"{algorithm.upper()} used for a token or signature",
                           f"{algorithm.upper()} collisions are practical: a forger can produce two inputs with the "
                           "same digest.", "Use SHA-256 (or HMAC-SHA-256 for signatures).",
                           module.line_text(named.call.line).replace(f"'{algorithm}'", "'sha256'")
                           .replace(f'"{algorithm}"', '"sha256"'))


def _finding(module: ir.Module, named: NamedCall, concern: str, title: str, why: str, advice: str, code: str) -> Finding:
    return make_finding(concern, location(module, named.call), title, why, severity=Severity.HIGH,
                        confidence=Confidence.MEDIUM, fix=Fix(advice, code, "javascript"),
                        rule=f"js-{concern}", key=f"{title}|{module.line_text(named.call.line)}")


def _bcrypt_fix(text: str) -> str:
    """`const h = crypto.createHash('md5').update(pw).digest('hex')` -> `const h = await bcrypt.hash(pw, 12);`"""
    update = text.find(".update(")
    hashed = text[update + len(".update("):].split(")")[0].strip() if update >= 0 else "password"
    head = text.split("crypto.createHash")[0].rstrip()
    if head.endswith(("=", "return", "(")):
        return f"{head} await bcrypt.hash({hashed}, 12);" if not head.endswith("(") else f"await bcrypt.hash({hashed}, 12)"
    return f"const hash = await bcrypt.hash({hashed}, 12);"


def _context_words(module: ir.Module, named: NamedCall) -> set[str]:
    """Words of what is hashed (the `.update(...)` on the same line) and of where the digest goes."""
    text = module.line_text(named.call.line)
    update = text.find(".update(")
    found: set[str] = set()
    if update >= 0:
        found.update(words(text[update + len(".update("):].split(")")[0]))
    target = text.split("=")[0] if "=" in text.split("(")[0] else ""
    found.update(words(target))
    if named.function is not None:
        found.update(words(named.function.name))
    return found


RULE = Rule("js-weak-hash", frozenset({"weak-hash", "weak-password-hash"}), "javascript", check,
            requires=("createhash", "createhmac"))
