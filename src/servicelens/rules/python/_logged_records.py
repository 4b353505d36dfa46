"""Locals named like a credential that the code itself treats as a record of something else.

A credential is opaque text: code presents it, compares it or hashes it, and reads no fields of
it. A local whose fields the same function reads (`token.chain_id`, `token["symbol"]`,
`vault_token.decimals`) is a structured record, and when none of those fields is the secret or a
fact of an auth grant (`token.access_token`, `token.user`, `token["exp"]`), the word in its name
is the record's domain word (an ERC20 token, an LLM token count), not a credential. A local
declared with the same type as such a record (`from_token: EvmToken` beside `to_token:
EvmToken`) is one too. Text methods called on it (`token.strip()`) say it is text after all.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.analysis.file_index import FileIndex
from servicelens.rules.python._common import is_secret_name
from servicelens.rules.python._purpose import LoggedCredential, id_words


def record_locals(body: tuple[ir.Stmt, ...], index: FileIndex, function: ir.Function | None,
                  vocab: LoggedCredential) -> frozenset[str]:
    """Names of `body` read only as records whose fields are neither a secret nor an auth grant's."""
    fields: dict[str, set[str]] = {}
    text: set[str] = set()
    annotations: dict[str, str] = {}
    if function is not None:
        for param in function.params:
            if param.annotation is not None:
                annotations[param.name] = _type_text(param.annotation)
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.annotation is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            annotations[stmt.targets[0].id] = _type_text(stmt.annotation)
        nodes = index.stmt_nodes(stmt)
        called = {id(n.func) for n in nodes if isinstance(n, ir.Call) and isinstance(n.func, ir.Attr)}
        for node in nodes:
            if isinstance(node, ir.Attr) and isinstance(node.value, ir.Name):
                if id(node) in called:
                    if node.attr in vocab.same_value_methods:
                        text.add(node.value.id)
                    continue  # a method's answer says nothing of what the object is
                fields.setdefault(node.value.id, set()).add(node.attr)
            elif isinstance(node, ir.Subscript) and isinstance(node.value, ir.Name) \
                    and isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
                fields.setdefault(node.value.id, set()).add(node.index.value)
    records = {name for name, read in fields.items()
               if name not in text and name not in ("self", "cls") and read and _other_sense(name, vocab)
               and not any(_grant_field(field, vocab) for field in read)}
    record_types = {annotations[name] for name in records if annotations.get(name)}
    records.update(name for name, kind in annotations.items()
                   if kind in record_types and name not in text and _other_sense(name, vocab)
                   and not (fields.get(name, set())
                                                                         and name not in records))
    return frozenset(records)


def _other_sense(name: str, vocab: LoggedCredential) -> bool:
    """Is the name's credential word one with another sense (`token`: an asset, a lexeme; `key`: a
    lookup key, a game item), and none with only that one (`password`, `secret`, `credentials`)?
    `db_credentials.host` read beside a logged `db_credentials` still logs the password it holds."""
    parts = set(id_words(name))
    return bool(parts & vocab.record_words) and not parts & vocab.sole_sense_words


def _grant_field(field: str, vocab: LoggedCredential) -> bool:
    """A field that is the secret itself (`value`, `access_token`) or a fact of an auth grant
    (`user`, `expires_at`, `scope`): the object is a credential record, logged whole it leaks."""
    return is_secret_name(field) or field.lower() in vocab.value_attributes \
        or bool(set(id_words(field)) & vocab.grant_words)


def _type_text(annotation: ir.Expr) -> str:
    """`EvmToken`, `assets.EvmToken`: the declared type as written; "" for text types."""
    name = ir.dotted_name(annotation) or ""
    return "" if name.rsplit(".", 1)[-1] in ("str", "bytes", "SecretStr", "SecretBytes", "Any", "object") else name
