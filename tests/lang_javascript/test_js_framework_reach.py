"""Reach of what NestJS runs itself (analysis/javascript_framework_runs.py): a CQRS handler runs
in the flow of whoever hands its bus the message, a `@Cron`/`@Interval` method and a BullMQ
`@Processor` class's `process` are background tasks, `onModuleInit` runs at start-up. Look-alikes
(a project's own `Cron`, an undecorated `process`, a handler of a message nobody sends, an
undecorated method) stay unknown."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings

NEST = Path(__file__).parent / "reach_fixtures" / "framework-reach" / "nest"


@pytest.fixture(scope="module")
def reaches() -> dict[tuple[str, int], str]:
    report = review(NEST, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    return {(f.location.path, f.location.start_line): f.reach for f in report.findings}


@pytest.mark.parametrize(("path", "line", "reach"), [
    ("src/orders/commands/create-order.handler.ts", 8, "request"),  # CommandHandler, sent from a route
    ("src/orders/queries.ts", 15, "request"),  # QueryHandler in the message's own module
    ("src/jobs/sync.service.ts", 18, "task"),  # @Interval
    ("src/jobs/sync.service.ts", 22, "task"),  # called only from a @Cron method
    ("src/jobs/mail.processor.ts", 8, "task"),  # @Processor class's process
    ("src/jobs/sync.service.ts", 8, "startup"),  # onModuleInit
    ("src/boot/bootstrap.ts", 12, "startup"),  # called only by the function that calls NestFactory.create
])
def test_what_nest_runs_has_the_reach_of_who_runs_it(reaches: dict[tuple[str, int], str], path: str, line: int,
                                                     reach: str) -> None:
    assert reaches[(path, line)] == reach


@pytest.mark.parametrize(("path", "line"), [
    ("src/orders/queries.ts", 23),  # a handler of a message nothing sends
    ("src/jobs/sync.service.ts", 27),  # an undecorated method nothing calls
    ("src/jobs/look-alike.ts", 8),  # the project's own `Cron` decorator
    ("src/jobs/look-alike.ts", 14),  # `process` of a class no queue decorator names
    ("src/boot/bootstrap.ts", 17),  # beside the bootstrap, not called by it
])
def test_look_alikes_stay_unknown(reaches: dict[tuple[str, int], str], path: str, line: int) -> None:
    assert reaches[(path, line)] == ""


def test_a_finding_about_a_route_declared_in_a_set_up_method_is_on_the_request_path() -> None:
    """`this.router.post('/rebuild', ...)` in a router class's constructor: the constructor runs once,
    but a finding at the route's own line (it is unauthenticated) is about the requests it serves."""
    case = Path(__file__).parent / "fixtures" / "missing-authentication" / "class-subapp-js"
    report = review(case, Settings(use_cache=False, profile="extended", select=frozenset({"missing-authentication"})))
    assert {(f.location.path, f.location.start_line, f.reach) for f in report.findings} == {
        ("routers/HookRouter.js", 9, "request")}


CONNECTIONS = Path(__file__).parent / "reach_fixtures" / "connections"


def test_what_a_client_connection_runs_is_on_the_request_path() -> None:
    """socket.io's `io.on('connection', (socket) => ...)` and ws's `wss.on('connection', onClient)`:
    each client's messages run the handlers it registers, and what they call; a database pool's
    `connection` event (its parameter is the pool's own connection) is not a client's."""
    report = review(CONNECTIONS, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    assert {(f.location.path, f.location.start_line, f.reach) for f in report.findings} == {
        ("realtime.js", 16, "request"), ("relay.ts", 8, "request"), ("realtime.js", 28, "")}
