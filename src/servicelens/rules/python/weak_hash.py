"""Weak hash (MD5/SHA-1) used where security depends on it.

## What it finds
`hashlib.md5`, `hashlib.sha1`, `hashlib.new("md5")` and friends whose digest protects
something: a password, a token, a signature, an integrity check of data a client sent.

## Why it matters
Collisions for MD5 and SHA-1 are practical; a password hashed with either is cracked in
seconds on a GPU. An attacker who can forge a collision can swap signed content.

## Example
```python
user.api_token_hash = hashlib.md5(raw_token.encode()).hexdigest()
```

## Fix
Use SHA-256 or better for integrity, HMAC-SHA-256 for signatures, and a password hash
(argon2id, bcrypt, scrypt) for passwords. If the hash is not for security (cache keys,
ETags), say so: `hashlib.md5(data, usedforsecurity=False)`.

## Known problems
The purpose is judged from the flow of the digest inside its function, never from a name
alone. It is reported when the digest is compared with a credential or in constant time,
stored or sent under a password/token/signature/API-key name, returned from a function that
signs or makes tokens, or when a secret goes in and the digest leaves the function without
being used as a name. Cache keys, ETags, rate-limit and bucket keys (even salted with
SECRET_KEY), ids and `usedforsecurity=False` stay silent. A password passed to MD5/SHA-1 is
left to the weak-password-hash rule. Not reported (false negatives): digests whose protective
use is in another function (returned from a neutrally named helper, then compared elsewhere),
and integrity checks of downloads compared with a neutrally named expected value.
Vocabulary: models/vocabulary/purpose.yaml (`hash_purpose`).
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import is_password_expr, is_test_path
from servicelens.rules.python._digest_flow import digest_purpose
from servicelens.rules.python._purpose import vocabulary
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment

_WEAK = {"md5", "sha1", "md4", "md2", "sha", "ripemd160"}
_WEAK_CALLS = {f"hashlib.{name}" for name in _WEAK} | {
    "Crypto.Hash.MD5.new", "Crypto.Hash.SHA1.new", "Cryptodome.Hash.MD5.new", "Cryptodome.Hash.SHA1.new",
    "cryptography.hazmat.primitives.hashes.MD5", "cryptography.hazmat.primitives.hashes.SHA1",
}


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return  # fixtures and tests hash whatever they like
    vocab = vocabulary().hash
    index = file_index(module, scope)
    for function, body in all_bodies(module):
        for call in index.block_of_kind(body, ir.Call):
            algorithm = _weak_algorithm(call, scope, function)
            if algorithm is None:
                continue
            if any(is_password_expr(node) for arg in call.args for node in ir.walk_expr(arg)):
                continue  # a hashed password is reported once, as weak-password-hash
            used = call.kwarg("usedforsecurity")
            if isinstance(used, ir.Const) and used.value is False:
                continue
            use = digest_purpose(call, function, body, vocab)
            if not (use.security or (use.secret_input and use.out and not use.naming)):
                continue  # no flow says the digest protects anything: a key, an id, a name
            confidence = Confidence.HIGH if use.security else Confidence.MEDIUM
            yield make_finding(
                "weak-hash", Location(module.path, call.line, call.end_line or call.line),
                f"{algorithm.upper()} digest protects a secret or a signature",
                f"{algorithm.upper()} is broken: collisions are practical and a leaked digest of a low-entropy "
                "value (password, token, PIN) is reversed by brute force in seconds.",
                confidence=confidence,
                fix=Fix("Use hashlib.sha256 (or HMAC-SHA-256 for signatures; argon2id/bcrypt for passwords). "
                        "If this digest is not security-relevant, pass usedforsecurity=False.",
                        _fix_code(strip_comment(module.line_text(call.line)), algorithm), "python"),
                rule=RULE.id, key=algorithm,
            )


def _weak_algorithm(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> str | None:
    name = scope.qualify(ir.dotted_name(call.func) or "", function, set()) or ""
    if name in _WEAK_CALLS:
        return name.rsplit(".", 1)[-1].lower()
    if name == "hashlib.new" and call.args and isinstance(call.args[0], ir.Const):
        algorithm = str(call.args[0].value).lower().replace("-", "")
        return algorithm if algorithm in _WEAK else None
    return None


def _fix_code(line: str, algorithm: str) -> str:
    fixed = re.sub(rf"hashlib\.{algorithm}\(", "hashlib.sha256(", line, flags=re.IGNORECASE)
    fixed = re.sub(rf"""hashlib\.new\((['"]){algorithm}\1""", "hashlib.new('sha256'", fixed, flags=re.IGNORECASE)
    return fixed if fixed != line else "digest = hashlib.sha256(data).hexdigest()"


RULE = Rule("py-weak-hash", frozenset({"weak-hash"}), "python", check, requires=("md5", "sha", "md4", "md2", "ripemd"))
