"""What a rule's work can fire on, stated as names: dispatch by name.

Dispatch by node kind (`rules.base.Inspects`) skips a body without the kinds a rule inspects,
but calls, names and attributes are in nearly every body, so it cannot skip the costly rules.
What those rules test is names: a callee's last name (`save`, `execute`, a money verb), an
attribute (`objects`, `is_staff`), a keyword argument (`exception_handlers=`), a bare name
(`MIDDLEWARE`), a string constant naming a setting (`config["WTF_CSRF_ENABLED"]`). A `Needs` lists them; the file index (`FileIndex.holds`) answers whether a
file or a body holds any of them, from the nodes it has already laid out, so a rule hands its
per-body work only to the bodies that can make it fire, and the runner skips a rule whose
declared names a file holds none of (`Rule.needs`).

A declaration must be as wide as the rule: a body without any of the names must be one the
rule says nothing about. tests/rules/test_needs.py runs every fixture with and without the
dispatch and requires the same findings and facts.

Callee and bare names are matched after imports: `from django.views.decorators.csrf import
csrf_exempt as exempt` makes `exempt(...)` a call named `csrf_exempt`, as `ModuleScope.qualify`
resolves it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Needs:
    """Names any of which a body must hold for a rule to say something about it."""

    calls: frozenset[str] = frozenset()  # a callee's last name: `save` for `obj.save()` and `save()`
    attrs: frozenset[str] = frozenset()  # an attribute read, written or called: `objects` in `User.objects`
    keywords: frozenset[str] = frozenset()  # a keyword argument's name: `timeout` in `get(url, timeout=3)`
    names: frozenset[str] = frozenset()  # a bare name: `MIDDLEWARE`, `session`
    consts: frozenset[str] = frozenset()  # a string constant equal to one: `config["WTF_CSRF_ENABLED"]`

    def __or__(self, other: Needs) -> Needs:
        return Needs(self.calls | other.calls, self.attrs | other.attrs, self.keywords | other.keywords,
                     self.names | other.names, self.consts | other.consts)


def needs(calls: object = (), attrs: object = (), keywords: object = (), names: object = (),
          consts: object = ()) -> Needs:
    """`needs(calls={"save", "delete"}, attrs=("objects",))`: any iterables of names."""
    return Needs(frozenset(calls), frozenset(attrs), frozenset(keywords), frozenset(names),  # type: ignore[arg-type]
                 frozenset(consts))  # type: ignore[arg-type]
