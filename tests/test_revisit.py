"""The second, demand-driven pass (analysis/revisit.py, `Rule.revisit`): rules ask only about the
functions on a chain from an entry point, and what they report is what asking about every function
would give."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.analysis import revisit as revisit_module
from servicelens.config.settings import Settings
from servicelens.rules.python import _layers
from servicelens.rules.python import broken_function_authorization_layers as bfla_layers
from servicelens.rules.python import rel_transaction_helpers as transaction_helpers
from servicelens.rules.python._layers import Relay, on_chains

FIXTURES = Path(__file__).parent / "fixtures"
TREES = sorted(p for p in (FIXTURES / "broken-function-authorization").iterdir() if p.is_dir()) \
    + sorted(p for p in (FIXTURES / "missing-idempotency").iterdir() if p.is_dir()) \
    + sorted(p for p in (FIXTURES / "missing-transaction").iterdir() if p.is_dir()) \
    + sorted(p for p in (Path(__file__).parent / "projects").iterdir() if p.is_dir())


def test_on_chains_follows_every_way_a_call_may_land() -> None:
    functions = ["app.users.UserService.set_role", "app.admin.UserService.set_role", "app.repo.Repo.save",
                 "app.repo.Repo.unused", "app.billing.charge", "app.x.helper"]
    chains = [Relay("app.users.UserService.set_role", "repo.Repo.save", "UserService.set_role"),
              Relay("app.billing.charge", "app.x.helper", "charge")]
    found = on_chains(functions, chains, ["UserService.set_role"])
    # both services end in the candidate: which one a lookup takes depends on what is known
    assert found == {"app.users.UserService.set_role", "app.admin.UserService.set_role", "app.repo.Repo.save"}
    # a candidate longer than the key (the review started inside the package) lands on it too
    assert on_chains(functions, chains, ["pkg.app.billing.charge"]) == {"app.billing.charge", "app.x.helper"}
    assert on_chains(functions, chains, ["unknown"]) == frozenset()


def test_on_chains_stops_below_the_layers_reached_follows() -> None:
    functions = [f"m.f{i}" for i in range(10)]
    chains = [Relay(f"m.f{i}", f"m.f{i + 1}", f"f{i}") for i in range(9)]
    assert on_chains(functions, chains, ["m.f0"]) == {f"m.f{i}" for i in range(_layers._DEPTH + 2)}


def _fingerprints(tree: Path) -> list[tuple[str, str, int]]:
    report = review(tree, Settings(use_cache=False, profile="extended"))
    return [(f.rule, f.fingerprint, f.location.start_line) for f in report.findings]


def _everything(functions, chains, entries):  # type: ignore[no-untyped-def]
    """Ask about every function, as the first pass did before the second existed."""
    return frozenset(functions) | {relay.key for relay in chains}


@pytest.mark.parametrize("tree", TREES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_asking_on_demand_reports_what_asking_everything_would(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    original = revisit_module.Revisits.asker

    def counting(self, rule):  # type: ignore[no-untyped-def]
        ask = original(self, rule)

        def run(wanted):  # type: ignore[no-untyped-def]
            asked.append(sum(len(names) for names in wanted.values()))
            return ask(wanted)
        return run

    monkeypatch.setattr(revisit_module.Revisits, "asker", counting)
    on_demand = _fingerprints(tree)
    demanded = sum(asked)
    monkeypatch.setattr(bfla_layers, "on_chains", _everything)
    monkeypatch.setattr(transaction_helpers, "_self_committing", lambda caller, units: 2)
    asked.clear()
    assert _fingerprints(tree) == on_demand
    assert demanded <= sum(asked)


def test_only_functions_on_a_chain_are_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted_seen: list[dict[str, frozenset[str]]] = []
    original = revisit_module.Revisits.asker

    def recording(self, rule):  # type: ignore[no-untyped-def]
        ask = original(self, rule)

        def run(wanted):  # type: ignore[no-untyped-def]
            if rule.id == bfla_layers.RULE.id:
                wanted_seen.append(dict(wanted))
            return ask(wanted)
        return run

    monkeypatch.setattr(revisit_module.Revisits, "asker", recording)
    findings = _fingerprints(FIXTURES / "broken-function-authorization" / "fastapi_service_layers")
    assert any(rule == bfla_layers.RULE.id for rule, _, _ in findings)
    (wanted,) = wanted_seen
    asked = {name for names in wanted.values() for name in names}
    assert asked and "routes.py" not in wanted  # the handlers' own module holds no function below them
    assert all(rel in ("services.py", "repository.py", "auth.py", "db.py", "models.py") for rel in wanted)
