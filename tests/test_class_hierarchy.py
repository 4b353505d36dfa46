"""analysis.class_hierarchy: resolving class names across modules and walking ancestors."""
from servicelens.analysis.class_hierarchy import ClassHierarchy


def test_names_resolve_by_suffix_and_by_reexporting_package() -> None:
    hierarchy = ClassHierarchy.of({"src.shop.views.OrderView": ("shop.base.AuthedView",),
                                   "src.shop.base.AuthedView": ("rest_framework.views.APIView",),
                                   "shop.api._base.Resource": ()})
    assert hierarchy.resolve("shop.base.AuthedView") == "src.shop.base.AuthedView"
    assert hierarchy.resolve("shop.api.Resource") == "shop.api._base.Resource"  # re-exported by the package
    assert hierarchy.resolve("rest_framework.views.APIView") is None


def test_ancestors_are_walked_depth_first_and_cycles_end() -> None:
    hierarchy = ClassHierarchy.of({"app.A": ("app.B", "app.C"), "app.B": ("app.D",), "app.C": (), "app.D": ("app.A",)})
    assert list(hierarchy.ancestors("app.A")) == [("app.A", 0), ("app.B", 1), ("app.D", 2), ("app.C", 1)]


def test_ambiguous_names_resolve_to_nothing() -> None:
    hierarchy = ClassHierarchy.of({"one.Base": (), "two.Base": ()})
    assert hierarchy.resolve("three.Base") is None
