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

import yaml

from servicelens import ir


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


@dataclass(frozen=True, slots=True)
class Purpose:
    hash: HashPurpose
    money: MoneyVocabulary


@lru_cache(maxsize=1)
def vocabulary() -> Purpose:
    """The purpose vocabulary, parsed once per process (the file is package data, never user input)."""
    text = resources.files("servicelens.models").joinpath("vocabulary", "purpose.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return Purpose(
        HashPurpose(**{key: frozenset(value) for key, value in data["hash_purpose"].items()}),
        MoneyVocabulary(**{key: frozenset(value) for key, value in data["money"].items()}),
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
