"""Dispatch by name (analysis.needs, `Rule.needs`, `FileIndex.holds`) never changes what a rule
says: every Python file under tests/fixtures, tests/projects and examples/ is analysed with every
rule as declared and again with the index answering that every file and body holds every name;
findings and collected facts must be the same. A declaration narrower than its rule (a callee,
attribute, keyword, bare name or string the rule fires on but did not declare) fails here on the
fixture that exercises it."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, build_index
from servicelens.analysis.needs import Needs, needs
from servicelens.analysis.python_file import analyze_python
from servicelens.rules.base import Rule, discover_rules
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import ModelIndex, load_models

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for top in ("tests/fixtures", "tests/projects", "examples") for p in (ROOT / top).rglob("*.py"))


@lru_cache(maxsize=1)
def _engine() -> tuple[tuple[Rule, ...], ParserPool, ModelIndex]:
    return discover_rules("servicelens.rules.python"), ParserPool(), load_models()


def _holds_everything(self: FileIndex, wanted: Needs, block: tuple[ir.Stmt, ...] | None = None) -> bool:
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_dispatch_by_name_changes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules, parsers, models = _engine()
    text = path.read_text("utf-8", errors="surrogateescape")
    rel = path.name  # the file name, so fixtures are never taken for test code
    with_dispatch = analyze_python(rel, text, parsers, models, frozenset(), file_rules=rules)
    monkeypatch.setattr(FileIndex, "holds", _holds_everything)
    without = analyze_python(rel, text, parsers, models, frozenset(), file_rules=rules)
    assert with_dispatch.findings == without.findings
    assert with_dispatch.collected == without.collected


def _module(source: str) -> ir.Module:
    from servicelens.lang.python import lower_module
    lines = tuple(source.splitlines())
    tree = ParserPool().parse("python", source.encode())
    return lower_module(tree.root_node, "m.py", lines)


def test_holds_answers_by_callee_attribute_keyword_name_and_string() -> None:
    module = _module(
        "from django.views.decorators.csrf import csrf_exempt as exempt\n"
        "def a(view):\n    return exempt(view)\n"
        "def b(user):\n    user.profile.save(update_fields=['x'])\n"
        "def c():\n    app.config['WTF_CSRF_ENABLED'] = False\n"
        "def d():\n    MIDDLEWARE = []\n"
        "def e():\n    return 1\n")
    index = build_index(module)
    bodies = {f.name: f.body for f in module.functions}
    wanted = {
        "a": needs(calls={"csrf_exempt"}), "b": needs(attrs={"profile"}), "c": needs(consts={"WTF_CSRF_ENABLED"}),
        "d": needs(names={"MIDDLEWARE"}),
    }
    for name, declared in wanted.items():
        assert [f for f, body in bodies.items() if index.holds(declared, body)] == [name]
        assert index.holds(declared)
    assert [f for f, body in bodies.items() if index.holds(needs(keywords={"update_fields"}), body)] == ["b"]
    assert [f for f, body in bodies.items() if index.holds(needs(calls={"save"}), body)] == ["b"]
    assert not index.holds(needs(calls={"delete"}, attrs={"objects"}, names={"session"}))
    # a block the index did not lay out (made by a rule) is looked through on the spot
    made = (replace(bodies["b"][0]),)
    assert index.holds(needs(calls={"save"}), made) and not index.holds(needs(calls={"delete"}), made)
    assert list(index.bodies_holding(needs(calls={"save"}) | needs(names={"MIDDLEWARE"}),
                                     ((f, body) for f, body in bodies.items()))) == [("b", bodies["b"]), ("d", bodies["d"])]


# Shapes each declaration must cover that the fixtures may not spell: every name form a rule
# declares (`analysis.needs`), analysed with and without the dispatch like the fixtures above.
SHAPES = {
    "csrf_config_subscript.py": "app.config['WTF_CSRF_ENABLED'] = False\n",
    "csrf_config_keyword.py": "def create_app():\n    app.config.update(WTF_CSRF_ENABLED=False)\n    return app\n",
    "csrf_samesite_keyword.py": "def create_app():\n    app.config.update(SESSION_COOKIE_SAMESITE='Lax')\n",
    "csrf_protect.py": "from flask_wtf import csrf\n@app.before_request\ndef check():\n    csrf.protect()\n",
    "csrf_session_token.py": (
        "from flask import session, request\nimport hmac\n@app.before_request\ndef check():\n"
        "    if session['nonce'] != request.form.get('nonce'):\n        abort(403)\n"
        "    hmac.compare_digest(session['t'], request.headers['X-T'])\n"),
    "urls_aliased_exempt.py": (
        "from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt as exempt\n"
        "from . import views\nurlpatterns = [path('email/', exempt(views.change_email)),\n"
        "               path('addr/', exempt(views.AddressView.as_view()))]\n"),
    "tx_sqlalchemy.py": (
        "from sqlalchemy import text\nclass Ledger:\n    def debit(self, a):\n        self.session.add(a)\n"
        "        self.session.commit()\n    def move(self, a, b):\n        self.debit(a)\n"
        "        self.session.execute(text('UPDATE accounts SET x = 1'))\n        self.session.commit()\n"
        "        self.session.exec_driver_sql('DELETE FROM holds')\n        self.session.commit()\n"),
    # a callee with no name (`(a or b)(x)`) beside a session's statements: nothing to follow, no crash
    "tx_unnamed_callee.py": (
        "class Repo:\n    def store(self, a):\n        (self.primary or self.fallback)(a)\n"
        "        self.session.add(a)\n        self.session.commit()\n"),
    "tx_django.py": (
        "from .models import Order, Item\ndef consume(order, n):\n    Item.objects.filter(order=order).update(n=n)\n"
        "def place(request):\n    order = Order.objects.create(user=request.user)\n    consume(order, 2)\n"
        "    order.save()\n"),
    "race_values.py": (
        "from sqlalchemy import update\ndef debit(session, wallet_id, amount):\n"
        "    wallet = session.get(Wallet, wallet_id)\n"
        "    session.execute(update(Wallet).values(balance=wallet.balance - amount))\n"
        "def credit(session_factory, wallet_id, amount):\n    with session_factory.begin() as session:\n"
        "        wallet = session.get(Wallet, wallet_id)\n        wallet.balance += amount\n"),
    "money_truncation.py": (
        "def charge(body):\n    cents = int(body.amount * 100)\n    price = float(body.price)\n"
        "    return round(float(body.total) * 1.2, 2)\n"),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_declared_shapes_change_nothing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rules, parsers, models = _engine()
    with_dispatch = analyze_python(name, SHAPES[name], parsers, models, frozenset(), file_rules=rules)
    monkeypatch.setattr(FileIndex, "holds", _holds_everything)
    without = analyze_python(name, SHAPES[name], parsers, models, frozenset(), file_rules=rules)
    assert with_dispatch.findings == without.findings
    assert with_dispatch.collected == without.collected


def test_rule_needs_skips_a_file_without_its_names() -> None:
    from servicelens.rules.base import no_findings
    _, parsers, models = _engine()
    probe = Rule("py-probe", frozenset({"probe"}), "python", no_findings, collect=lambda module, scope: "seen",
                 needs=needs(calls={"save"}))
    saves = analyze_python("a.py", "def f(o):\n    o.save()\n", parsers, models, frozenset(), file_rules=(probe,))
    other = analyze_python("b.py", "def f(o):\n    o.delete()  # save\n", parsers, models, frozenset(), file_rules=(probe,))
    assert saves.collected == (("py-probe", "seen"),)
    assert other.collected == ()
