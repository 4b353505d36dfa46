"""FastAPI dependencies named by `Depends(...)` anywhere in the project (endpoints/dependencies.py)."""
from __future__ import annotations

from textwrap import dedent

from servicelens import ir
from servicelens.endpoints.dependencies import dependency_call, dependency_entries, dependency_names


def test_depends_and_security_targets_are_collected_by_their_last_name() -> None:
    text = dedent("""
        def a(x: str = Depends(deps.target_host), user=Security(get_user, scopes=["me"])): ...
        Alias = Annotated[str, Depends(dependency=parse_filters)]
        def b(s: Settings = Depends()): ...
        """)
    assert dependency_names(dependency_entries([text])) == {"target_host", "get_user", "parse_filters", "Settings"}
    assert dependency_entries(["def plain(x=compute(y)): ..."]) == frozenset()


def test_a_parameter_is_the_call_of_its_dependency_only_when_one_is_named() -> None:
    target = ir.Name(line=1, col=0, id="target_host")
    depends = ir.Call(line=1, col=0, func=ir.Name(line=1, col=0, id="Depends"), args=(target,), kwargs=())
    call = dependency_call(ir.Param(line=1, name="host", kind="positional", default=depends))
    assert call is not None and call.func == target and not call.args
    bare = ir.Call(line=1, col=0, func=ir.Name(line=1, col=0, id="Depends"), args=(), kwargs=())
    assert dependency_call(ir.Param(line=1, name="s", kind="positional", default=bare)) is None
    settings = ir.Name(line=1, col=0, id="Settings")
    call = dependency_call(ir.Param(line=1, name="s", kind="positional", default=bare, annotation=settings))
    assert call is not None and call.func == settings
    query = ir.Call(line=1, col=0, func=ir.Name(line=1, col=0, id="Query"), args=(target,), kwargs=())
    assert dependency_call(ir.Param(line=1, name="q", kind="positional", default=query)) is None


def test_a_dependency_declared_to_hand_a_record_is_not_the_clients_text() -> None:
    target = ir.Name(line=1, col=0, id="get_current_tenant")
    depends = ir.Call(line=1, col=0, func=ir.Name(line=1, col=0, id="Depends"), args=(target,), kwargs=())
    tenant = ir.Name(line=1, col=0, id="Tenant")
    assert dependency_call(ir.Param(line=1, name="t", kind="positional", default=depends, annotation=tenant)) is None
    optional_str = ir.Subscript(line=1, col=0, value=ir.Attr(line=1, col=0, value=ir.Name(line=1, col=0, id="typing"),
                                                              attr="Optional"), index=ir.Name(line=1, col=0, id="str"))
    assert dependency_call(ir.Param(line=1, name="h", kind="positional", default=depends,
                                    annotation=optional_str)) is not None
