"""rules/python/_project_calls.CalleeIndex: inherited methods found on the nearest ancestor,
and the same answer however often a callee is asked (the ancestor walk is kept per callee)."""
from __future__ import annotations

from servicelens.rules.python._project_calls import CalleeIndex

_BASES = {"shop.repos.OrderRepo": ("shop.base.Repo",), "shop.base.Repo": ("shop.base.Root",),
          "shop.repos.CartRepo": ("shop.base.Root",)}


def _index() -> CalleeIndex[str]:
    return CalleeIndex([("shop.base.Repo.update", "repo.update"), ("shop.base.Root.close", "root.close"),
                        ("shop.repos.OrderRepo.update", "order.update")], _BASES)


def test_a_method_the_class_only_inherits_is_found_on_the_nearest_ancestor_every_time() -> None:
    index = _index()
    for _ in range(3):
        assert index.get("shop.repos.CartRepo.close") == "root.close"
        assert index.get("shop.repos.OrderRepo.close") == "root.close"
        assert index.get("shop.repos.OrderRepo.update") == "order.update"  # its own, not the base's


def test_a_method_no_ancestor_defines_stays_unresolved_every_time() -> None:
    index = _index()
    for _ in range(3):
        assert index.get("shop.repos.CartRepo.update") is None
        assert index.get("shop.repos.Unknown.close") is None
        assert not index.through_instance("shop.repos.CartRepo.update")
