"""Cipher calls rewritten in place: the same key, data and variable names, a sound algorithm.

`DES.new(key, DES.MODE_CBC)` becomes `AES.new(key, AES.MODE_GCM)`, `modes.ECB()` becomes
`modes.GCM(nonce)` with the nonce drawn just before, a constant IV becomes `os.urandom(n)`
under the name the code already uses for it, `key_size=1024` becomes `key_size=3072` in the
same call. What cannot be rewritten honestly (a call split over lines we do not see, an
unknown API shape) yields None and the finding keeps its description alone.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import Statement, dotted, find_call, keyword, last_name, statement

# 64-bit block ciphers: their IVs are 8 bytes.
_SMALL_BLOCK = frozenset({"DES", "DES3", "TripleDES", "Blowfish", "CAST", "CAST5", "ARC2", "IDEA", "des", "triple_des"})
_AEAD_MODES = frozenset({"GCM", "OCB", "CCM", "EAX", "SIV"})
_ENCRYPT = frozenset({"encrypt", "encrypt_and_digest"})
_SIZE_KEYWORDS = ("key_size", "bits")
_STORE = "store {} with the ciphertext"


def rewrite_cipher(kind: str, code: str, callee: str) -> str | None:
    """The statement `code` holding the call to `callee` rewritten for the weak-cipher problem
    `kind` (cipher | ecb | iv | rsa | key); None when this line cannot be rewritten."""
    stmt = statement(code)
    call = find_call(stmt, callee) if stmt is not None else None
    if stmt is None or call is None:
        return None
    rewriter = {"cipher": _cipher, "ecb": _ecb, "iv": _iv, "rsa": _rsa, "key": _key}.get(kind)
    try:
        fixed = rewriter(stmt, call) if rewriter else None
    except (ValueError, IndexError, AttributeError, SyntaxError):
        return None
    return fixed if fixed and fixed.strip() != stmt.text.strip() else None


# ---------------------------------------------------------------- the algorithm


def _cipher(stmt: Statement, call: ast.Call) -> str | None:
    """A legacy cipher replaced by AES-GCM with the same key."""
    outer = _enclosing_cipher(stmt, call)
    if outer is not None:  # cryptography: Cipher(algorithms.X(key), mode)
        return _hazmat_gcm(stmt, outer, [(call.func, _renamed(stmt, call.func, "AES"))])
    if not call.args:
        return None
    key = _without_slice(call.args[0])  # DES keys are cut to 8 bytes; AES takes the whole key
    return "from Crypto.Cipher import AES\n\n" + _pycryptodome_gcm(stmt, call, f"AES.new({stmt.segment(key)}, AES.MODE_GCM)")


def _ecb(stmt: Statement, call: ast.Call) -> str | None:
    """ECB replaced by GCM, in the API the line uses."""
    mode = next((c for c in stmt.calls() if last_name(c.func) == "ECB"), None)
    if mode is not None:
        outer = next((c for c in stmt.calls() if mode in c.args or mode in [k.value for k in c.keywords]), None)
        return _hazmat_gcm(stmt, outer, []) if outer is not None else None
    ecb = next((n for n in ast.walk(call) if isinstance(n, ast.Attribute) and n.attr == "MODE_ECB"), None)
    if ecb is None:
        return None
    new_call = stmt.replace(ecb, _renamed(stmt, ecb, "MODE_GCM"))
    fixed = Statement(new_call, ast.parse(new_call).body[0])
    return _pycryptodome_gcm(fixed, find_call(fixed, dotted(call.func)) or call, None)


def _enclosing_cipher(stmt: Statement, call: ast.Call) -> ast.Call | None:
    return next((c for c in stmt.calls() if last_name(c.func) == "Cipher" and c.args and c.args[0] is call), None)


def _hazmat_gcm(stmt: Statement, cipher: ast.Call | None, edits: list[tuple[ast.AST, str]]) -> str | None:
    """`Cipher(algorithm, <mode>)` with GCM and a fresh nonce drawn on the line before."""
    if cipher is None:
        return None
    mode = cipher.args[1] if len(cipher.args) > 1 else keyword(cipher, "mode")
    node = mode.value if isinstance(mode, ast.keyword) else mode
    if node is None:
        return None
    prefix = dotted(node.func).rpartition(".")[0] if isinstance(node, ast.Call) else ""
    edits.append((node, f"{prefix or 'modes'}.GCM(nonce)"))
    fixed = stmt.replace_many(edits)
    return f"nonce = os.urandom(12)\n{fixed}  # {_STORE.format('nonce and the encryptor tag')}"


def _pycryptodome_gcm(stmt: Statement, call: ast.Call, replacement: str | None) -> str:
    """The statement with `call` (a PyCryptodome-style constructor) as GCM: an encryption chained
    onto it becomes encrypt_and_digest with the nonce and tag kept; a cipher object stored in a
    variable is told what to keep."""
    new = replacement or stmt.segment(call)
    use = _chained_encrypt(stmt, call)
    if use is not None and use.args:
        data = _without_padding(stmt, use.args[0])
        rest = stmt.replace(use, "cipher.nonce + tag + ciphertext")
        return f"cipher = {new}\nciphertext, tag = cipher.encrypt_and_digest({data})\n{rest}"
    node = stmt.node
    text = stmt.replace(call, new) if replacement else stmt.text
    if isinstance(node, ast.Assign) and node.value is call and isinstance(node.targets[0], ast.Name):
        name = node.targets[0].id
        return f"{text}  # {name}.encrypt_and_digest(data); {_STORE.format(f'{name}.nonce and the tag')}"
    return text


def _chained_encrypt(stmt: Statement, call: ast.Call) -> ast.Call | None:
    return next((c for c in stmt.calls() if isinstance(c.func, ast.Attribute) and c.func.value is call
                 and c.func.attr in _ENCRYPT), None)


def _without_padding(stmt: Statement, data: ast.expr) -> str:
    """GCM is a stream mode: `pad(blob, 8)` -> `blob`."""
    if isinstance(data, ast.Call) and last_name(data.func) == "pad" and data.args:
        return stmt.segment(data.args[0])
    return stmt.segment(data)


def _without_slice(key: ast.expr) -> ast.expr:
    if isinstance(key, ast.Subscript) and isinstance(key.slice, ast.Slice):
        return key.value
    return key


def _renamed(stmt: Statement, node: ast.AST, name: str) -> str:
    """`node`'s text (`algorithms.TripleDES`, `LegacyDES.MODE_CBC`) with its last name changed."""
    text = stmt.segment(node)
    head, dot, _ = text.rpartition(".")
    return f"{head}{dot}{name}"


# ---------------------------------------------------------------- the IV / nonce


def _iv(stmt: Statement, call: ast.Call) -> str | None:
    """A constant IV replaced by `os.urandom(n)`: rebound under its own name when the code
    already names it locally, else drawn into `iv` / `nonce` just before the call."""
    node, named = _iv_argument(call)
    if node is None:
        return None
    size = _iv_size(stmt, call)
    if isinstance(node, ast.Name) and not node.id.isupper():
        var, text = node.id, stmt.text
    else:
        var = named or ("nonce" if size == 12 else "iv")
        text = stmt.replace(node, var)
    fixed = Statement(text, ast.parse(text).body[0])
    returned = fixed.node.value if isinstance(fixed.node, ast.Return) else None
    if isinstance(returned, ast.Call) and last_name(returned.func) in _ENCRYPT:
        return f"{var} = os.urandom({size})\n{fixed.replace(returned, f'{var} + {fixed.segment(returned)}')}"
    return f"{var} = os.urandom({size})\n{text}  # {_STORE.format(var)}"


def _iv_argument(call: ast.Call) -> tuple[ast.expr | None, str]:
    """(the IV/nonce argument of `call`, the keyword it was passed as or '')."""
    for name in ("iv", "IV", "nonce", "initialization_vector"):
        found = keyword(call, name)
        if found is not None:
            return found.value, name if name.islower() and name != "initialization_vector" else ""
    method = last_name(call.func)
    position = 2 if method in ("new", "des", "triple_des") else 1 if method == "ChaCha20" else 0
    return (call.args[position], "") if len(call.args) > position else (None, "")


def _iv_size(stmt: Statement, call: ast.Call) -> int:
    """Bytes of IV the mode wants: 12 for GCM and the AEAD classes, the block size otherwise."""
    method = last_name(call.func)
    if method in _ENCRYPT or method in _AEAD_MODES or method == "ChaCha20":
        return 12 if method != "ChaCha20" else 16
    mode = call.args[1] if method == "new" and len(call.args) > 1 else keyword(call, "mode")
    mode_name = last_name(mode.value if isinstance(mode, ast.keyword) else mode) if mode is not None else ""
    if mode_name.removeprefix("MODE_") in _AEAD_MODES:
        return 12
    owner = call.func.value if isinstance(call.func, ast.Attribute) and method == "new" else None
    algorithm = last_name(owner) if owner is not None else next(
        (last_name(c.func) for c in stmt.calls() if last_name(c.func) != method and c is not call
         and dotted(c.func).startswith("algorithms.")), "")
    return 8 if algorithm in _SMALL_BLOCK else 16


# ---------------------------------------------------------------- key size and key material


def _rsa(stmt: Statement, call: ast.Call, bits: int = 3072) -> str | None:
    """The same key-generation call with a key of `bits` bits."""
    for name in _SIZE_KEYWORDS:
        found = keyword(call, name)
        if found is not None:
            return stmt.replace(found.value, str(bits))
    small = next((a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, int)
                  and not isinstance(a.value, bool) and a.value < 2048), None)
    return stmt.replace(small, str(bits)) if small is not None else None


def _key(stmt: Statement, call: ast.Call) -> str | None:
    """A key built from constant text replaced by random key material from the environment."""
    found = keyword(call, "key")
    node = found.value if found is not None else call.args[0] if call.args else None
    if node is None:
        return None
    if isinstance(node, ast.Name) and not node.id.isupper():
        var, text = node.id, stmt.text
    else:
        var, text = "key", stmt.replace(node, "key")
    variable = "ENCRYPTION_KEY" if var == "key" else var.upper()
    return (f"import base64\nimport os\n\n{var} = base64.b64decode(os.environ[\"{variable}\"])"
            f"  # 32 random bytes, generated once, kept out of the code\n{text}")
