"""`framework_reach._Classes.find`: a dotted name resolves to the one project class key it is a
dotted suffix of, or that is a dotted suffix of it; none or several is "". The lookup goes through
an index of every key's dotted suffixes (it was a scan of every class sharing the last name)."""
from __future__ import annotations

from servicelens.analysis.framework_calls import knowledge
from servicelens.analysis.framework_reach import _Classes


def _classes(*keys: str) -> _Classes:
    return _Classes({key: ("object",) for key in keys}, {}, knowledge(), frozenset())


def _scan(keys: tuple[str, ...], name: str) -> str:
    """The definition, spelled out: a key equal to the name, else the single key either side of a dot."""
    if name in keys:
        return name
    found = [k for k in keys if k.endswith("." + name) or name.endswith("." + k)]
    return found[0] if len(found) == 1 else ""


KEYS = ("shop.api.serializers.InvoiceSerializer", "shop.orders.migrations.0001.Migration",
        "shop.users.migrations.0001.Migration", "api.Meta", "shop.graphql.types.Meta", "Lone")
NAMES = ("InvoiceSerializer", "serializers.InvoiceSerializer", "project.shop.api.serializers.InvoiceSerializer",
         "other.serializers.InvoiceSerializer", "Migration", "orders.migrations.0001.Migration",
         "django.db.migrations.Migration", "Meta", "types.Meta", "x.api.Meta", "Lone", "pkg.Lone", "Missing",
         "api.serializers.InvoiceSerializer.Meta", "shop.api.serializers.InvoiceSerializer")


def test_find_is_the_single_key_either_side_of_a_dot() -> None:
    classes = _classes(*KEYS)
    for name in NAMES:
        assert classes.find(name) == _scan(KEYS, name), name
        assert classes.find(name) == _scan(KEYS, name), name  # the memo answers alike


def test_examples() -> None:
    classes = _classes(*KEYS)
    assert classes.find("serializers.InvoiceSerializer") == "shop.api.serializers.InvoiceSerializer"
    assert classes.find("project.shop.api.serializers.InvoiceSerializer") == "shop.api.serializers.InvoiceSerializer"
    assert classes.find("Migration") == ""  # two project classes of that name
    assert classes.find("orders.migrations.0001.Migration") == "shop.orders.migrations.0001.Migration"
    assert classes.find("x.api.Meta") == "api.Meta"
    assert classes.find("other.serializers.InvoiceSerializer") == ""
