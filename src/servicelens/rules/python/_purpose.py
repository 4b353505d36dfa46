"""What a value is for: the purpose vocabulary (models/vocabulary/purpose.yaml) and the word
tools the weak-hash and float-for-money rules share.

Not a rule (it defines no RULE). The vocabulary is data, loaded once and frozen; everything
else here is pure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from servicelens import ir
from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class HashPurpose:
    secret_inputs: frozenset[str]
    security_sinks: frozenset[str]
    security_functions: frozenset[str]
    compare_calls: frozenset[str]
    naming_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class MoneyVocabulary:
    money_names: frozenset[str]
    ambiguous_names: frozenset[str]
    context_words: frozenset[str]
    context_owner_words: frozenset[str]
    decimal_names: frozenset[str]
    currency_codes: frozenset[str]
    statistic_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class LoggedCredential:
    """When a logged value that is named like a credential is not a usable one."""

    rejected_words: frozenset[str]
    same_value_methods: frozenset[str]
    value_attributes: frozenset[str]
    identity_words: frozenset[str]
    location_words: frozenset[str]
    cursor_words: frozenset[str] = frozenset()
    grant_words: frozenset[str] = frozenset()
    record_words: frozenset[str] = frozenset()
    sole_sense_words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Purpose:
    hash: HashPurpose
    money: MoneyVocabulary
    logged: LoggedCredential


def vocabulary_file(name: str) -> dict:
    """One of the vocabularies under models/vocabulary/ (package data, never user input)."""
    return packaged_yaml(resources.files("servicelens.models").joinpath("vocabulary", name).read_text("utf-8"))


def checked_vocabulary(name: str, keys: frozenset[str]) -> dict:
    """A vocabulary file that must hold exactly `keys`: a misspelt or missing section is an error
    naming the file, not knowledge silently dropped."""
    data = vocabulary_file(name)
    unknown, missing = sorted(set(data) - keys), sorted(keys - set(data))
    if unknown or missing:
        raise ValueError(f"{name}: unknown key(s) {unknown}, missing key(s) {missing}")
    return data


@lru_cache(maxsize=1)
def vocabulary() -> Purpose:
    """The purpose vocabulary, parsed once per process (the file is package data, never user input)."""
    data = vocabulary_file("purpose.yaml")
    return Purpose(
        HashPurpose(**{key: frozenset(value) for key, value in data["hash_purpose"].items()}),
        MoneyVocabulary(**{key: frozenset(value) for key, value in data["money"].items()}),
        LoggedCredential(**{key: frozenset(value) for key, value in data["logged_credential"].items()}),
    )


_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def id_words(name: str) -> list[str]:
    """`apiKeyHash` / `API_KEY_HASH` -> ["apikey", "hash"]: identifier words, lower case, with
    `api key` joined so it is one word."""
    parts = [w.lower() for w in _SPLIT.findall(name)]
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1] == "api" and part == "key":
            joined[-1] = "apikey"
        else:
            joined.append(part)
    return joined


def expr_words(expr: ir.Expr) -> set[str]:
    """Words of every name, attribute and string literal in an expression."""
    found: set[str] = set()
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Name):
            found.update(id_words(node.id))
        elif isinstance(node, ir.Attr):
            found.update(id_words(node.attr))
        elif isinstance(node, ir.Const) and isinstance(node.value, str) and len(node.value) < 80:
            found.update(id_words(node.value))
    return found


def money_word(name: str) -> str:
    """The word that makes `unit_price` / `amount_cents` money: `price`, `amount`."""
    parts = id_words(name)
    if len(parts) > 1 and parts[-1] in ("cents", "value"):
        return parts[-2]
    return parts[-1] if parts else ""


def has_money_context(name: str, owners: tuple[str, ...], stmts: tuple[ir.Stmt, ...],
                      candidate: ir.Stmt | None, extra: tuple[ir.Expr, ...], vocab: MoneyVocabulary) -> bool:
    """Is `name` money here? `price`-like names are; `amount`, `total`, `balance` only when the
    class or function around them is about money: a currency/payment/invoice word, another
    money name, a Decimal elsewhere, a currency code, a payment provider."""
    word = money_word(name)
    if word in vocab.money_names:
        return True
    found = set(id_words(name)) - {word}
    for owner in owners:
        owner_words = set(id_words(owner))
        if owner_words & (vocab.context_words | vocab.context_owner_words | vocab.money_names):
            return True
    exprs = [*extra, *(e for stmt in stmts if stmt is not candidate for e in ir.stmt_exprs(stmt))]
    if candidate is not None and isinstance(candidate, ir.Assign) and candidate.value is not None:
        exprs.append(candidate.value)
    for expr in exprs:
        found |= expr_words(expr)
        if _currency_or_decimal(expr, vocab):
            return True
    return bool((found - {word}) & (vocab.context_words | vocab.money_names))  # never its own context


def _currency_or_decimal(expr: ir.Expr, vocab: MoneyVocabulary) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Const) and isinstance(node.value, str) and node.value.upper() in vocab.currency_codes \
                and node.value in (node.value.upper(), node.value.lower()):
            return True
        if isinstance(node, ir.Name) and node.id in vocab.decimal_names:
            return True
        if isinstance(node, ir.Attr) and node.attr in vocab.decimal_names:
            return True
    return False
