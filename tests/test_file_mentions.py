"""`file_mentions` reads a superset of every function's `code_tokens`: when it says a file does not
mention a word, `mentions` says so of each of its functions, wherever the word would stand."""
from __future__ import annotations

import pytest

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.rules.python.rel_shared import file_mentions, mentions
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models
from servicelens.taint.scope import ModuleScope


def _scope(source: str) -> tuple[ir.Module, ModuleScope]:
    module = lower_module(ParserPool().parse("python", source.encode()).root_node, "app/pay.py",
                          tuple(source.splitlines()))
    imports = {imp.local: imp.target for imp in module.imports}
    return module, ModuleScope(module, load_models("python", ()), imports,
                               frozenset(f.qualname for f in module.functions),
                               frozenset(c.qualname for c in module.classes), {}, {})


@pytest.mark.parametrize("source", [
    "def pay(idempotency_key=None):\n    return 1\n",  # a parameter
    "@retry(Idempotent=True)\ndef pay():\n    return 1\n",  # a decorator's keyword
    "def pay():\n    try:\n        go()\n    except IdempotencyError:\n        pass\n",  # a caught type
    "def pay():\n    headers = {'Idempotency-Key': k}\n",  # a string
    "class A:\n    def pay(self):\n        def inner():\n            return self.idempotent\n",  # a nested def
    "def pay():\n    send(f'{idempotency}')\n",  # inside an f-string
])
def test_a_word_anywhere_in_a_function_is_in_the_file(source: str) -> None:
    module, scope = _scope(source)
    assert any(mentions(f, module, "idempot") for f in module.functions)
    assert file_mentions(module, scope, "idempot")


def test_a_file_without_the_word() -> None:
    module, scope = _scope("def pay(amount):\n    # idempotency comes later\n    return charge(amount)\n")
    assert not file_mentions(module, scope, "idempot")
    assert not any(mentions(f, module, "idempot") for f in module.functions)


def test_the_text_read_once_answers_each_asker_for_its_own_words() -> None:
    module, scope = _scope("def pay(amount, idempotency_key):\n    return charge(amount)\n")
    assert file_mentions(module, scope, "idempot")
    assert not file_mentions(module, scope, "get_or_create", "on_conflict")  # the second asker, on the same file
    assert file_mentions(module, scope, "charge")
