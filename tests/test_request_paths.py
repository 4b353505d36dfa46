"""The request-path view (analysis/request_paths.py): routes carry the guards held on the way."""
from __future__ import annotations

from servicelens.analysis.request_paths import (DEPTH, IDEMPOTENCY, TRANSACTION, Entry, PathFacts, Step,
                                                request_paths)

_WITH_TX = frozenset({TRANSACTION})


def _view(*facts: PathFacts, functions: tuple[str, ...]):
    return request_paths(facts, functions)


def test_a_guard_held_at_the_handlers_call_covers_every_layer_below() -> None:
    entry = Entry("app.views.pay", "app/views.py", 3, "pay", ("POST",))
    facts = PathFacts((entry,), (Step("app.views.pay", "app.services.charge", 5, _WITH_TX),
                                 Step("app.services.charge", "app.repo.save", 9)))
    view = _view(facts, functions=("app.views.pay", "app.services.charge", "app.repo.save"))
    assert view.unguarded("app.repo.save", TRANSACTION) is None
    assert view.guarded_somewhere("app.repo.save", TRANSACTION)
    route = view.unguarded("app.repo.save", IDEMPOTENCY)
    assert route is not None and route.layers == ("app.services.charge", "app.repo.save") and route.call_line == 5


def test_one_unguarded_request_is_enough_and_read_only_entries_can_be_left_out() -> None:
    post = Entry("app.views.pay", "app/views.py", 3, "pay", ("POST",), frozenset({IDEMPOTENCY}))
    get = Entry("app.views.show", "app/views.py", 9, "show", ("GET",))
    facts = PathFacts((post, get), (Step("app.views.pay", "app.services.charge", 5),
                                    Step("app.views.show", "app.services.charge", 11)))
    view = _view(facts, functions=("app.views.pay", "app.views.show", "app.services.charge"))
    assert view.unguarded("app.services.charge", IDEMPOTENCY).entry is get
    assert view.unguarded("app.services.charge", IDEMPOTENCY, state_changing=True) is None


def test_functions_no_request_reaches_have_no_route_and_depth_is_bounded() -> None:
    entry = Entry("m.h", "m.py", 1, "h")
    chain = [f"m.f{i}" for i in range(DEPTH + 3)]
    steps = (Step("m.h", chain[0], 2),) + tuple(Step(a, b, 3) for a, b in zip(chain, chain[1:]))
    view = _view(PathFacts((entry,), steps), functions=("m.h", "m.command_only", *chain))
    assert view.reaching("m.command_only") == ()
    assert view.reaching(chain[DEPTH])
    assert not view.reaching(chain[DEPTH + 1])


def test_a_call_on_a_type_alias_lands_in_the_aliased_class() -> None:
    entry = Entry("app.routes.create", "app/routes.py", 4, "create", ("POST",))
    facts = PathFacts((entry,), (Step("app.routes.create", "app.deps.Billing.subscribe", 6),),
                      bases=(("app.deps.Billing", ("app.services.BillingService",)),))
    view = _view(facts, functions=("app.routes.create", "app.services.BillingService.subscribe"))
    assert view.reaching("app.services.BillingService.subscribe")
