"""Loop bounds (rules/python/_loop_bounds.py): which iterables are fixed by the code."""
from __future__ import annotations

import pytest

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.rules.python._loop_bounds import bounded_iterable
from servicelens.sources.parsing import ParserPool

_HEADER = ("import enum\n"
           "from .models import Order\n"
           "from .consts import Colour, PAGE_SIZES\n"
           "STATES = ('new', 'paid')\n"
           "handlers = []\n"
           "class Kind(enum.Enum):\n"
           "    A = 1\n")


def _bounded(body: str) -> bool:
    source = _HEADER + "def f(items, request, order_id):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    tree = ParserPool().parse("python", source.encode())
    module = lower_module(tree.root_node, "m.py", tuple(source.splitlines()))
    function = next(fn for fn in module.functions if fn.name == "f")
    loop = next(s for s in ir.walk_stmts(function.body) if isinstance(s, ir.For))
    return bounded_iterable(loop.iter, module, function)


@pytest.mark.parametrize("body", [
    "for s in ('a', 'b', 'c'): pass",
    "for s in STATES: pass",
    "for s in Kind: pass",
    "for c in Colour: pass",
    "for size in PAGE_SIZES: pass",
    "for k, v in {'a': 1, 'b': 2}.items(): pass",
    "for i, s in enumerate(STATES): pass",
    "for a, b in zip(STATES, ('x', 'y')): pass",
    "for i in range(3): pass",
    "for v, label in Order.STATUS_CHOICES: pass",
    "for v, label in Kind.choices: pass",
    "for v, label in Order._meta.get_field('status').choices: pass",
    "names = ['a', 'b']\nfor n in names: pass",
    "for o in Order.objects.filter(pk=order_id): pass",
    "qs = Order.objects.filter(id=order_id)\nqs = qs.select_related('customer')\nfor o in qs: pass",
    "order = Order.objects.get(pk=order_id)\nfor line in order.lines.all(): pass",
    "for note in request.user.notes.filter(pinned=True).order_by('-created'): pass",
    "for f in Order._meta.get_fields(): pass",
    "for f in items._meta.concrete_fields: pass",
])
def test_fixed_by_the_code(body: str) -> None:
    assert _bounded(body)


@pytest.mark.parametrize("body", [
    "for i in items: pass",
    "for c in question.choices: pass",
    "for i in request.data['ids']: pass",
    "for f in request.FILES.getlist('files'): pass",
    "for o in Order.objects.filter(status='new'): pass",
    "for o in Order.objects.filter(pk__in=items): pass",
    "for h in handlers: pass",
    "for i in range(1000): pass",
    "names = ['a']\nnames.extend(items)\nfor n in names: pass",
    "names = []\nfor n in names: pass",
    "for k, v in zip(STATES, items): pass",
    "qs = Order.objects.filter(pk=order_id)\nqs = Order.objects.all()\nfor o in qs: pass",
    "qs = Order.objects.filter(pk=order_id)\nqs = qs | Order.objects.filter(status='new')\nfor o in qs: pass",
    "qs = Order.objects.filter(pk=order_id)\nqs = Order.objects.exclude(pk__in=qs)\nfor o in qs: pass",
    "for o in Order.lines.all(): pass",
    "for o in Order.objects.all(): pass",
    "for plan in items:\n    for day in plan.days.all(): pass",
    "rows = [d for plan in items for d in plan.days.all()]\nfor d in rows: pass",
])
def test_hot(body: str) -> None:
    assert not _bounded(body)


def test_n_plus_one_does_not_count_one_objects_rows_as_bounded() -> None:
    source = _HEADER + "def f(order_id):\n    order = Order.objects.get(pk=order_id)\n    for line in order.lines.all(): pass\n"
    tree = ParserPool().parse("python", source.encode())
    module = lower_module(tree.root_node, "m.py", tuple(source.splitlines()))
    function = next(fn for fn in module.functions if fn.name == "f")
    loop = next(s for s in ir.walk_stmts(function.body) if isinstance(s, ir.For))
    assert bounded_iterable(loop.iter, module, function)
    assert not bounded_iterable(loop.iter, module, function, one_objects_rows=False)


def _bounded_in_method(source: str) -> bool:
    tree = ParserPool().parse("python", source.encode())
    module = lower_module(tree.root_node, "m.py", tuple(source.splitlines()))
    function = next(fn for fn in module.functions if fn.name == "run")
    loop = next(s for s in ir.walk_stmts(function.body) if isinstance(s, ir.For))
    return bounded_iterable(loop.iter, module, function)


@pytest.mark.parametrize(("column", "bounded"), [
    ("Column(JSON)", True),
    ("mapped_column(ARRAY(String))", True),
    ("relationship('Stop')", False),
    ("Column(String)", False),
])
def test_a_collection_stored_in_one_row_of_a_sqlalchemy_model(column: str, bounded: bool) -> None:
    source = ("class Route(Base):\n"
              f"    stops = {column}\n"
              "    def run(self, session):\n"
              "        for stop in self.stops:\n"
              "            session.get(Stop, stop)\n")
    assert _bounded_in_method(source) is bounded
