"""The default profile: entry points, where code runs (reach), and what is held back."""
from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from pathlib import Path
from textwrap import dedent
from types import MappingProxyType

import pytest
import yaml
from typer.testing import CliRunner

from servicelens.analysis.entry_points import FunctionSpan, entry_points
from servicelens.analysis.profiles import Measured, ProfilePolicy, apply_profile, load_policy
from servicelens.analysis.reach import Reach, ReachIndex
from servicelens.api import review
from servicelens.cli.main import app, main
from servicelens.config.settings import Settings
from servicelens.lang.python import lower_module
from servicelens.model.concerns import make_finding
from servicelens.model.finding import ANONYMOUS_CALLERS, REQUEST_ONLY, USES, Confidence, Location
from servicelens.packaged_yaml import packaged_yaml
from servicelens.sources.parsing import ParserPool


def lowered(rel: str, source: str):
    text = dedent(source)
    tree = ParserPool().parse("python", text.encode())
    return lower_module(tree.root_node, rel, tuple(text.splitlines()))


def entries(rel: str, source: str) -> dict[str, str]:
    module = lowered(rel, source)
    imports = {imp.local: imp.target for imp in module.imports}
    return {e.qualname: e.kind for e in entry_points(module, imports)}


def test_entry_points_by_framework_contract() -> None:
    found = entries("shop/management/commands/import_orders.py", """
        import click
        from celery import shared_task
        from django.core.management.base import BaseCommand

        class Command(BaseCommand):
            def handle(self, *args, **options):
                load()

        @shared_task
        def nightly():
            load()

        @click.command()
        def cli():
            load()

        def load():
            pass

        if __name__ == "__main__":
            load()
        """)
    assert found == {"Command.handle": "command", "nightly": "task", "cli": "command", "load": "script",
                     "": "script"}


def test_enqueued_functions_are_jobs_and_a_deadline_their_team_set_is_kept() -> None:
    module = lowered("app/tasks.py", """
        from rq import Queue
        from app.reports import build_report
        from app.worker import job

        @job("schemas", timeout=300)
        def refresh_schema(source_id):
            pass

        @job("default")
        def record_event(event):
            pass

        def run_query(query):
            pass

        def schedule(queue: Queue, query):
            queue.enqueue(run_query, query, job_timeout=60)
            queue.enqueue_in(3600, build_report, query)
        """)
    imports = {imp.local: imp.target for imp in module.imports}
    found = {e.qualname or e.target: e for e in entry_points(module, imports)}
    assert {key: e.kind for key, e in found.items()} == {
        "refresh_schema": "task", "record_event": "task", "run_query": "task", "app.reports.build_report": "task"}
    assert found["refresh_schema"].deadline == "`timeout=` on `@job` stops it"
    assert found["record_event"].deadline == ""  # the framework's default is nobody's decision
    assert found["run_query"].deadline.startswith("`job_timeout=` on the `.enqueue()` at line")
    assert found["app.reports.build_report"].evidence.startswith("enqueued as a job (`.enqueue_in(build_report")


def test_look_alikes_are_not_entry_points() -> None:
    found = entries("shop/views.py", """
        from flask import Flask
        app = Flask(__name__)

        class Command:  # a name, not a management command
            def handle(self):
                pass

        def run_task():  # a name, not a task
            pass

        @app.route("/command")
        def command():
            pass

        if __name__ != "__main__":
            run_task()
        """)
    assert found == {}


PROJECT = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            customer = models.ForeignKey("Customer", on_delete=models.CASCADE)
        """,
    "shop/report.py": """
        from shop.models import Order

        def customer_names():
            return [order.customer.name for order in Order.objects.all()]

        def totals():
            return [order.customer.name for order in Order.objects.all()]
        """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.report import totals

        def order_totals(request):
            return JsonResponse({"totals": totals()})
        """,
    "shop/management/__init__.py": "",
    "shop/management/commands/__init__.py": "",
    "shop/management/commands/names.py": """
        from django.core.management.base import BaseCommand
        from shop.report import customer_names, totals

        class Command(BaseCommand):
            def handle(self, *args, **options):
                print(customer_names(), totals())
        """,
}


@pytest.fixture()
def shop(tmp_path: Path) -> Path:
    for rel, text in PROJECT.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    return tmp_path


def by_line(report) -> dict[int, object]:
    return {f.location.start_line: f for f in report.findings
            if f.concern == "n-plus-one-query" and f.location.path == "shop/report.py"}


def test_offline_only_code_is_held_back_and_request_path_code_is_not(shop: Path) -> None:
    extended = by_line(review(shop, Settings(use_cache=False, profile="extended",
                                             select=frozenset({"n-plus-one-query"}))))
    assert set(extended) == {5, 8}
    offline, served = extended[5], extended[8]
    assert (offline.reach, served.reach) == ("command", "request")  # a view calls totals(), whoever else does
    assert offline.held_back.startswith("not on a request path: only reached from `Command.handle`")
    assert served.held_back == ""
    default = review(shop, Settings(use_cache=False, select=frozenset({"n-plus-one-query"})))
    assert set(by_line(default)) == {8}
    assert default.stats.held_back == 1


def policy(**measured: Measured) -> ProfilePolicy:
    return ProfilePolicy(0.8, 1, frozenset({"query-in-loop"}), frozenset({"performance"}),
                         frozenset({"missing-timeout"}), frozenset({"missing-timeout"}),
                         frozenset({"sql-injection"}), frozenset({"n-plus-one-query"}), measured)


def finding(concern: str, line: int = 3):
    return make_finding(concern, Location("app.py", line), "title", "why")


EMPTY_REACH = ReachIndex({}, {}, frozenset())


def test_measured_precision_below_threshold_is_held_back_unless_selected() -> None:
    rules = policy(**{"weak-hash": Measured(1, 10), "weak-random": Measured(9, 10)})
    shown, held = apply_profile([finding("weak-hash"), finding("weak-random"), finding("sql-injection")],
                                EMPTY_REACH, Settings(), rules)
    assert {f.concern for f in shown} == {"weak-random"}  # a rule never measured waits until it is
    assert held == 2
    every, none_held = apply_profile([finding("weak-hash")], EMPTY_REACH, Settings(profile="extended"), rules)
    assert none_held == 0 and "1 of 10" in every[0].held_back and "triage corpus" in every[0].held_back
    selected, _ = apply_profile([finding("weak-hash")], EMPTY_REACH, Settings(select=frozenset({"weak-hash"})), rules)
    assert [f.held_back for f in selected] == [""]


def test_small_samples_are_shrunk_toward_what_rules_score_on_unseen_code() -> None:
    rules = policy(**{"weak-hash": Measured(1, 1), "weak-random": Measured(9, 9), "xss": Measured(1, 10),
                      "open-redirect": Measured(0, 10)})
    assert rules.pooled == 11 / 30
    # the language's prior is the mean of its concerns' estimates (each shrunk toward the pooled
    # 11/30), itself shrunk toward the pooled by one concern: about 43%
    assert rules.prior_of("sql-injection") == pytest.approx(0.4288, abs=1e-4)
    assert rules.below_threshold("weak-hash") == Measured(1, 1)  # (1 + 0.43) / 2 = 71%: one right of one is not enough
    assert rules.below_threshold("weak-random") is None  # (9 + 0.43) / 10
    assert rules.below_threshold("xss") == Measured(1, 10)
    assert rules.below_threshold("sql-injection") == Measured(0, 0)  # never measured: the prior, 43%
    every, _ = apply_profile([finding("sql-injection")], EMPTY_REACH, Settings(profile="extended"), rules)
    assert every[0].held_back.startswith("sql-injection has not been measured on the triage corpus yet")
    assert "estimated at 43%" in every[0].held_back


def test_a_concern_never_measured_borrows_from_its_mechanism_family_in_its_language() -> None:
    families = MappingProxyType({"xss": "sink", "open-redirect": "sink", "sql-injection": "sink",
                                 "missing-timeout": "calls", "connection-per-request": "calls"})
    rules = replace(policy(**{"xss": Measured(1, 10), "open-redirect": Measured(0, 10),
                              "missing-timeout": Measured(95, 100), "connection-per-request": Measured(19, 20),
                              "missing-timeout [javascript]": Measured(1, 10)}),
                    family_of=families, mechanisms=MappingProxyType({"sink": "request data reaching a sink",
                                                                     "calls": "calls to other services"}))
    # the family's prior averages its concerns, so one rule's many findings do not speak for the rest
    assert rules.prior_of("sql-injection") < 0.3  # its two measured members: 1 of 10, 0 of 10
    assert rules.estimated("sql-injection") == rules.prior_of("sql-injection")
    every, _ = apply_profile([finding("sql-injection")], EMPTY_REACH, Settings(profile="extended"), rules)
    assert "rules of its family (request data reaching a sink) are estimated at" in every[0].held_back
    # a family whose measured rules score well admits a new member before its own findings are labelled
    assert rules.family_of.get("connection-per-request") == "calls" and rules.prior_of("connection-per-request") > 0.8
    after = replace(rules, family_of=MappingProxyType({**families, "unsafe-retry": "calls"}))
    assert after.below_threshold("unsafe-retry") is None
    # JS/TS borrows only from JS/TS measurements: the Python family's 95% says nothing there
    js = make_finding("unsafe-retry", Location("src/retry.ts", 3), "title", "why")
    held, _ = apply_profile([js], EMPTY_REACH, Settings(profile="extended"), after)
    assert "has not been measured on JavaScript/TypeScript code of the triage corpus yet" in held[0].held_back
    go = make_finding("unsafe-retry", Location("retry.go", 3), "title", "why")
    held, _ = apply_profile([go], EMPTY_REACH, Settings(profile="extended"), after)
    assert "says nothing about this language's" in held[0].held_back  # nothing measured in Go at all


def test_a_reach_with_few_labels_stays_near_its_concern() -> None:
    rules = policy(**{"missing-timeout": Measured(90, 100), "missing-timeout @ task": Measured(0, 1, "task"),
                      "xss": Measured(1, 10), "xss @ request": Measured(1, 1, "request")})
    # one nit in jobs does not drag a 90% rule to the pooled average: (0 + 0.9) / 2 is still 45%, and one
    # right finding of xss on a request path does not lift a 10% rule over the threshold
    assert 0.4 < rules.estimated("missing-timeout", "task") < rules.estimated("missing-timeout") < 0.9
    assert rules.below_threshold("xss", "request") == Measured(1, 1, "request")
    assert rules.estimated("xss", "request") < 0.6


def test_precision_where_the_code_runs_decides_when_it_was_measured() -> None:
    rules = policy(**{"missing-timeout": Measured(20, 40), "missing-timeout @ request": Measured(18, 18, "request"),
                      "missing-timeout @ unknown": Measured(2, 22, "unknown")})
    reach = ReachIndex({"app.view": Reach("request"), "app.job": Reach("task", "runs in `job` (`@shared_task`)")},
                       {"app.py": ((1, 10), (_span("view", 1, 5), _span("job", 10, 15)), "app")}, frozenset())
    shown, held = apply_profile([finding("missing-timeout", 3), finding("missing-timeout", 12),
                                 finding("missing-timeout", 30)], reach, Settings(profile="extended"), rules)
    reasons = {f.location.start_line: f.held_back for f in shown}
    assert reasons[3] == ""  # request path: 18 of 18
    assert "20 of 40" in reasons[12]  # jobs were not measured: the concern as a whole
    assert "in code no handler, command or job was found to call" in reasons[30] and "2 of 22" in reasons[30]


def test_the_confidence_a_rule_gives_its_finding_decides_where_it_was_measured_apart() -> None:
    # a rule that grades its evidence: heavy calls high, file reads medium; measured apart at one reach
    rules = policy(**{"blocking-call-in-async": Measured(20, 40),
                      "blocking-call-in-async @ request": Measured(19, 26, "request"),
                      "blocking-call-in-async @ request (high)": Measured(11, 12, "request", "high"),
                      "blocking-call-in-async @ request (medium)": Measured(8, 14, "request", "medium")})
    reach = ReachIndex({"app.view": Reach("request")},
                       {"app.py": ((1, 10), (_span("view", 1, 5),), "app")}, frozenset())
    heavy = replace(finding("blocking-call-in-async", 3), confidence=Confidence.HIGH)
    light = replace(finding("blocking-call-in-async", 4), confidence=Confidence.MEDIUM)
    unmeasured = replace(finding("blocking-call-in-async", 5), confidence=Confidence.LOW)
    every, _ = apply_profile([heavy, light, unmeasured], reach, Settings(profile="extended"), rules)
    reasons = {f.location.start_line: f.held_back for f in every}
    assert reasons[3] == ""  # 11 of 12: (11 + pooled) / 13 is over 80%
    assert "of medium confidence on a request path" in reasons[4] and "8 of 14" in reasons[4]
    assert "19 of 26" in reasons[5]  # a confidence never measured there: the reach's cell decides
    assert rules.measured_key_of("blocking-call-in-async", "request", "", "high") == \
        "blocking-call-in-async @ request (high)"
    assert rules.measured_key_of("blocking-call-in-async", "task", "", "high") == "blocking-call-in-async"


def test_a_sub_cell_new_to_the_gate_inherits_the_admission_of_the_cell_it_refines() -> None:
    from servicelens.analysis.profiles import stays_admitted
    before = policy(**{"missing-timeout @ unknown": Measured(160, 198, "unknown")})  # admitted, kept
    before = replace(before, kept=frozenset({"missing-timeout @ unknown"}))
    after = policy(**{"missing-timeout @ unknown": Measured(166, 208, "unknown"),
                      "missing-timeout @ unknown (high)": Measured(158, 198, "unknown", "high"),
                      "missing-timeout @ unknown (medium)": Measured(8, 10, "unknown", "medium"),
                      "missing-timeout @ unknown (low)": Measured(0, 5, "unknown", "low")})
    assert stays_admitted(before, after, "missing-timeout @ unknown (medium)")  # 8 of 10 leaves 80% plausible
    assert not stays_admitted(before, after, "missing-timeout @ unknown (low)")  # 0 of 5 shows it below
    assert not stays_admitted(policy(), after, "missing-timeout @ unknown (medium)")  # never admitted before


def test_a_rule_is_measured_per_language_family() -> None:
    rules = policy(**{"missing-timeout": Measured(30, 30), "weak-random": Measured(9, 10),
                      "weak-random [javascript]": Measured(2, 10)})
    js_timeout = make_finding("missing-timeout", Location("api/client.ts", 3), "title", "why")
    js_random = make_finding("weak-random", Location("src/tokens.js", 3), "title", "why")
    py_random = make_finding("weak-random", Location("app/tokens.py", 3), "title", "why")
    dockerfile = make_finding("missing-timeout", Location("Dockerfile", 3), "title", "why")
    every, _ = apply_profile([js_timeout, js_random, py_random, dockerfile], EMPTY_REACH,
                             Settings(profile="extended"), rules)
    reasons = {f.location.path: f.held_back for f in every}
    # Python's 30 of 30 says nothing about the Express rule: held back until measured on JS/TS code
    assert reasons["api/client.ts"].startswith("missing-timeout has not been measured on JavaScript/TypeScript code")
    assert "2 of 10" in reasons["src/tokens.js"] and "in JavaScript/TypeScript code" in reasons["src/tokens.js"]
    assert reasons["app/tokens.py"] == ""  # Python's own measurement
    assert reasons["Dockerfile"] == ""  # documents every language shares keep the plain name


def test_request_path_only_concerns_are_kept_where_reach_is_unknown() -> None:
    reach = ReachIndex({"app.job": Reach("task", "runs in `job` (`@shared_task`)")},
                       {"app.py": ((1,), (_span("job", 1, 5),), "app")}, frozenset())
    shown, held = apply_profile([finding("query-in-loop", 3), finding("query-in-loop", 9)], reach, Settings(),
                                policy(**MEASURED))
    assert [f.location.start_line for f in shown] == [9] and held == 1


MEASURED = {"missing-timeout": Measured(10, 10), "query-in-loop": Measured(10, 10),
            "hardcoded-secret": Measured(10, 10)}


def test_jobs_with_a_deadline_their_team_set_and_watched_commands_hold_back_missing_timeouts() -> None:
    reach = ReachIndex({"app.bounded": Reach("task", "runs in `bounded` (`@job`)", "`timeout=` on `@job` stops it"),
                        "app.unbounded": Reach("task", "runs in `unbounded` (`@shared_task`)"),
                        "app.cmd": Reach("command", "runs in `cmd` (`@click.command`)")},
                       {"app.py": ((1, 10, 20), (_span("bounded", 1, 5), _span("unbounded", 10, 15),
                                                 _span("cmd", 20, 25)), "app")}, frozenset())
    shown, _ = apply_profile([finding("missing-timeout", 3), finding("missing-timeout", 12),
                              finding("missing-timeout", 22), finding("query-in-loop", 12)], reach,
                             Settings(profile="extended"), policy(**MEASURED))
    reasons = {(f.concern, f.location.start_line): f.held_back for f in shown}
    assert reasons[("missing-timeout", 3)].startswith("in a background job its framework stops after a deadline")
    assert reasons[("missing-timeout", 12)] == ""  # nothing stops a hung call in an unattended job
    assert reasons[("missing-timeout", 22)].startswith("in a command an operator runs and watches")
    assert reasons[("query-in-loop", 12)].startswith("not on a request path")


def test_scripts_keep_only_security_findings() -> None:
    reach = ReachIndex({"app.main": Reach("script", "runs in `main` (called from the `__main__` block)")},
                       {"app.py": ((1,), (_span("main", 1, 9),), "app")}, frozenset())
    shown, held = apply_profile([finding("missing-timeout", 3), finding("hardcoded-secret", 4)], reach, Settings(),
                                policy(**MEASURED))
    assert [f.concern for f in shown] == ["hardcoded-secret"] and held == 1


def _span(name: str, line: int, end: int):
    from servicelens.analysis.entry_points import FunctionSpan

    return FunctionSpan(name, line, end)


def test_shipped_policy_reads() -> None:
    shipped = load_policy()
    assert shipped.threshold == 0.8 and "query-in-loop" in shipped.request_path_only
    assert shipped.measured and all(0 <= m.true <= m.labelled for m in shipped.measured.values())
    assert any(" @ " in key for key in shipped.measured)  # per reach, not only per concern


def test_cli_profile_flag_and_config(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = CliRunner()
    default = runner.invoke(app, ["review", str(shop), "-f", "json", "-q", "--no-cache"])
    extended = runner.invoke(app, ["review", str(shop), "-f", "json", "-q", "--no-cache", "--profile", "extended"])
    assert default.exit_code == 0 and extended.exit_code == 0
    shown, every = json.loads(default.stdout), json.loads(extended.stdout)
    assert len(every["findings"]) == len(shown["findings"]) + shown["stats"]["held_back"]
    assert every["stats"]["held_back"] == 0
    assert runner.invoke(app, ["review", str(shop), "--profile", "everything"]).exit_code == 2
    (shop / "servicelens.toml").write_text('profile = "extended"\n')
    configured = runner.invoke(app, ["review", str(shop), "-f", "json", "-q", "--no-cache"])
    assert len(json.loads(configured.stdout)["findings"]) == len(every["findings"])
    (shop / "servicelens.toml").write_text("profile = true\n")
    assert main(["review", str(shop), "-q", "--no-cache"]) == 2
    assert 'profile: expected "default" or "extended", got the boolean true' in capsys.readouterr().err


def test_standing_says_measurement_and_profile() -> None:
    from servicelens.analysis.profiles import standing

    rules = policy(**{"weak-hash": Measured(1, 10), "weak-random": Measured(9, 10),
                      "weak-random @ request": Measured(5, 5, "request")})
    assert standing("weak-hash", rules).startswith("1 of 10 findings worth acting on (10%, triage corpus)")
    assert "held back from the default report" in standing("weak-hash", rules)
    assert standing("weak-random", rules) == ("9 of 10 findings worth acting on (90%, triage corpus): in the default "
                                              "report. By where the code runs: request: 5 of 5")
    assert standing("sql-injection", rules).startswith("not measured yet on the triage corpus; rules of its family")
    assert "held back" in standing("sql-injection", rules)


def test_explain_shows_the_standing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "query-in-loop"]) == 0
    assert "| Measured precision |" in capsys.readouterr().out


def test_held_back_critical_and_high_findings_are_counted_and_said() -> None:
    from servicelens.render.common import held_back_note

    example = Path(__file__).parents[1] / "examples" / "payments-service"
    default = review(example, Settings(use_cache=False))
    extended = review(example, Settings(use_cache=False, profile="extended"))
    severe = {"critical", "high"}
    expected = sum(f.severity.value in severe for f in extended.findings) - \
        sum(f.severity.value in severe for f in default.findings)
    assert default.stats.held_back_severe == expected
    if expected:
        assert f"{expected} of them rated critical or high" in held_back_note(default)


def test_a_flaw_only_privileged_callers_reach_is_held_back_for_concerns_the_caller_exploits() -> None:
    rules = policy(**{"sql-injection": Measured(9, 10), "weak-random": Measured(9, 10)})
    reach = ReachIndex({"app.console": Reach("request", callers="privileged"),
                        "app.search": Reach("request", callers="signed-in")},
                       {"app.py": ((1, 10), (FunctionSpan("console", 1, 9), FunctionSpan("search", 10, 20)), "app")},
                       frozenset())
    shown, held = apply_profile([finding("sql-injection", 3), finding("weak-random", 4), finding("sql-injection", 12),
                                 finding("n-plus-one-query", 5), finding("n-plus-one-query", 13)],
                                reach, Settings(), replace(rules, measured={**rules.measured,
                                                                            "n-plus-one-query": Measured(9, 10)}))
    # the admin's own console: a nit; the same flaw any signed-in user reaches: shown; an N+1
    # on the back-office page: negligible
    assert {(f.concern, f.location.start_line) for f in shown} == {("weak-random", 4), ("sql-injection", 12),
                                                                   ("n-plus-one-query", 13)}
    every, _ = apply_profile([finding("sql-injection", 3)], reach, Settings(profile="extended"), rules)
    assert every[0].held_back.startswith("only staff or administrators reach this code")


def test_log_forging_needs_a_caller_the_log_cannot_name() -> None:
    rules = replace(policy(**{"header-injection": Measured(9, 10), "sql-injection": Measured(9, 10)}),
                    needs_an_anonymous_caller=frozenset({"header-injection"}))
    reach = ReachIndex({"app.login": Reach("request", callers="anyone"),
                        "app.profile": Reach("request", callers="signed-in"),
                        "app.helper": Reach("request", callers="")},
                       {"app.py": ((1, 10, 20), (FunctionSpan("login", 1, 9), FunctionSpan("profile", 10, 19),
                                             FunctionSpan("helper", 20, 30)), "app")},
                       frozenset())
    shown, _ = apply_profile([finding("header-injection", 3), finding("header-injection", 12),
                              finding("sql-injection", 13), finding("header-injection", 22)], reach, Settings(), rules)
    # a failed login anyone may attempt, and code whose callers are unknown: shown; a forged line
    # from a signed-in session: held back, while an injection that session sends is not
    assert {(f.concern, f.location.start_line) for f in shown} == {("header-injection", 3), ("sql-injection", 13),
                                                                   ("header-injection", 22)}
    every, _ = apply_profile([finding("header-injection", 12)], reach, Settings(profile="extended"), rules)
    assert every[0].held_back_by == "callers" and every[0].held_back.startswith("only signed-in callers")


CONSOLE = """
    from functools import wraps
    from flask import Flask, abort, request
    from flask_login import current_user, login_required
    from app.db import db

    app = Flask(__name__)

    def admin_required(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)
        return wrapper

    def run(sql):
        return db.session.execute(sql).fetchall()

    @app.route("/admin/sql", methods=["POST"])
    @admin_required
    def console():
        return {"rows": run(request.form["sql"])}

    @app.route("/reports", methods=["POST"])
    @login_required
    def report():
        return {"rows": run("SELECT * FROM sales WHERE region = '%s'" % request.form["region"])}
    """


def test_privileged_callers_are_followed_from_routes_to_the_code_they_reach(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "views.py").write_text(dedent(CONSOLE))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"sql-injection"})))
    found = {f.location.start_line: f for f in report.findings if f.concern == "sql-injection"}
    reasons = {f.held_back for f in found.values()}
    assert found, "the injection into run() is reported"
    # run() is reached by the signed-in /reports route too: its least privileged caller decides
    assert all(not r.startswith("only staff") for r in reasons)
    (tmp_path / "app" / "views.py").write_text(dedent(CONSOLE.split("    @app.route(\"/reports\"")[0]))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"sql-injection"})))
    held = [f.held_back for f in report.findings if f.concern == "sql-injection"]
    assert held and all(r.startswith("only staff or administrators") for r in held)


ADMIN_ROUTER = """
    from fastapi import APIRouter, Depends, HTTPException
    from sqlalchemy import text

    from app.db import engine
    from app.security import is_authenticated_admin_api

    router = APIRouter(dependencies=[Depends(is_authenticated_admin_api)])

    @router.post("/maintenance/sql")
    def run_sql(statement: str):
        with engine.connect() as conn:
            return conn.execute(text(statement)).fetchall()
    """


def test_a_router_whose_guard_names_an_admin_role_is_privileged(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    for name in ("__init__.py", "db.py", "security.py"):
        (tmp_path / "app" / name).write_text("")
    (tmp_path / "app" / "admin.py").write_text(dedent(ADMIN_ROUTER))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"sql-injection"})))
    held = [f.held_back_by for f in report.findings if f.concern == "sql-injection"]
    assert held == ["callers"]


def test_a_module_of_bare_statements_no_one_imports_is_a_script_run_by_hand(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "dev").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "clients.py").write_text("import requests\n\nRATES = requests.get('https://rates.example/today').json()\n")
    (tmp_path / "app" / "views.py").write_text("from app.clients import RATES\n\n\ndef rates():\n    return RATES\n")
    (tmp_path / "dev" / "seed.py").write_text(dedent("""
        import requests

        print("seeding")
        token = requests.post("http://127.0.0.1:8080/token", data={"user": "dev"}).json()["token"]
        requests.post("http://127.0.0.1:8080/items", headers={"Authorization": token})
        """))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    by_path = {}
    for f in report.findings:
        by_path.setdefault(f.location.path, set()).add(f.reach)
    assert by_path["dev/seed.py"] == {"script"}
    assert "script" not in by_path["app/clients.py"]  # imported by the service: not a script


def test_start_up_hooks_are_entry_points_by_framework_contract() -> None:
    found = entries("app/boot.py", """
        from contextlib import asynccontextmanager

        from django.apps import AppConfig
        from fastapi import FastAPI
        from aiohttp import web


        class CatalogConfig(AppConfig):
            name = "catalog"

            def ready(self):
                download_fonts()


        class Plain:
            def ready(self):
                return True


        @asynccontextmanager
        async def lifespan(app):
            yield


        app = FastAPI(lifespan=lifespan)


        @app.on_event("startup")
        async def warm():
            pass


        @app.on_event("shutdown")
        async def close():
            pass


        def connect(application):
            pass


        def handler(request):
            pass


        service = web.Application()
        service.on_startup.append(connect)
        service.router.add_get("/", handler)
        """)
    assert found == {"CatalogConfig.ready": "startup", "lifespan": "startup", "warm": "startup",
                     "connect": "startup"}


def test_a_function_that_starts_the_web_server_is_start_up_code() -> None:
    found = entries("gateway/server.py", """
        import asyncio
        import uvicorn
        from aiohttp import web
        from uvicorn import run as serve_app


        class Server:
            async def start(self):
                load_catalog()
                config = uvicorn.Config(create_app(), port=8000)
                server = uvicorn.Server(config)
                await server.serve()

            def stop(self):
                pass


        def main():
            serve_app("app:app")


        def run_web(app):
            web.run_app(app)


        def schedule(loop):
            loop.run_until_complete(asyncio.sleep(1))  # runs a loop, serves nothing


        def configure():
            return uvicorn.Config("app:app")  # a configuration, not a server


        def run_runner(loop):
            runner = web.AppRunner(create_app())
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(loop.create_server(runner.server, "0.0.0.0", 8080))
            loop.run_forever()
        """)
    assert found == {"Server.start": "startup", "main": "startup", "run_web": "startup", "run_runner": "startup"}


def test_what_the_server_start_routine_calls_is_held_back_as_start_up(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "catalog.py").write_text(dedent("""
        import requests


        def init_catalog(url):
            return requests.get(url).json()  # once per process, before serving
        """))
    (tmp_path / "svc" / "server.py").write_text(dedent("""
        import uvicorn
        from fastapi import FastAPI

        from svc.catalog import init_catalog

        app = FastAPI()


        @app.get("/rates")
        def rates():
            import requests
            return requests.get("https://rates.example.com").json()


        def serve(settings):
            init_catalog(settings.catalog_url)
            uvicorn.run(app, host="0.0.0.0")
        """))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    reach = {f.location.path: f.reach for f in report.findings}
    assert reach == {"svc/catalog.py": "startup", "svc/server.py": "request"}


def test_start_up_code_keeps_security_findings_and_a_client_it_builds_is_judged_by_its_users() -> None:
    reach = ReachIndex({"app.ready": Reach("startup", "runs in `Config.ready` (`Config.ready()`)")},
                       {"app.py": ((1,), (_span("ready", 1, 9),), "app")}, frozenset())
    built = replace(finding("missing-timeout", 5), cost_at=USES)
    shown, held = apply_profile([finding("missing-timeout", 3), finding("hardcoded-secret", 4), built], reach,
                                Settings(), policy(**MEASURED))
    assert sorted((f.concern, f.location.start_line) for f in shown) == [("hardcoded-secret", 4),
                                                                        ("missing-timeout", 5)]
    assert held == 1


def test_password_hashing_stays_high_only_where_an_anonymous_caller_reaches_it() -> None:
    reach = ReachIndex({"app.login": Reach("request", callers="anyone"),
                        "app.change_password": Reach("request", callers="signed-in")},
                       {"app.py": ((1, 10), (_span("login", 1, 5), _span("change_password", 10, 15)), "app")},
                       frozenset())
    hashes = [replace(finding("blocking-call-in-async", line), cost_at=ANONYMOUS_CALLERS) for line in (3, 12, 30)]
    round_trip = finding("blocking-call-in-async", 13)  # no caller-graded cost: its grade stands
    shown, _ = apply_profile(hashes + [round_trip], reach, Settings(profile="extended"), policy(**MEASURED))
    grades = {f.location.start_line: f.confidence.value for f in shown}
    assert grades == {3: "high", 12: "medium", 30: "medium", 13: "high"}  # 30: nobody can tell who calls it


def test_request_only_claims_need_a_request_path() -> None:
    reach = ReachIndex({"app.view": Reach("request", callers="anyone")},
                       {"app.py": ((1, 10), (_span("view", 1, 5), _span("helper", 10, 15)), "app")}, frozenset())
    claims = [replace(finding("missing-timeout", line), cost_at=REQUEST_ONLY) for line in (3, 12)]
    shown, _ = apply_profile(claims, reach, Settings(profile="extended"), policy(**MEASURED))
    reasons = {f.location.start_line: f.held_back for f in shown}
    assert reasons[3] == "" and reasons[12].startswith("worth a comment only where a request runs this code")



def test_a_cell_the_gate_admitted_stays_while_its_labels_leave_the_threshold_plausible() -> None:
    from servicelens.analysis.profiles import precision_upper_bound, stays_admitted
    before = policy(**{"missing-timeout @ unknown": Measured(145, 176, "unknown"),
                       "weak-hash @ unknown": Measured(8, 10, "unknown"), "xss @ request": Measured(3, 10, "request")})
    after = policy(**{"missing-timeout @ unknown": Measured(148, 187, "unknown"),  # 79%: one nit too many
                      "weak-hash @ unknown": Measured(9, 20, "unknown"),  # 45%: the labels show it below
                      "xss @ request": Measured(19, 24, "request")})  # 79%, but never admitted
    assert after.below_threshold("missing-timeout", "unknown") is not None  # its estimate alone is under 80%
    assert precision_upper_bound(148, 187) > 0.8 > precision_upper_bound(9, 20)
    assert stays_admitted(before, after, "missing-timeout @ unknown")
    assert not stays_admitted(before, after, "weak-hash @ unknown")
    assert not stays_admitted(before, after, "xss @ request")  # a cell enters only on its own estimate
    kept = replace(after, kept=frozenset({"missing-timeout @ unknown"}))
    assert kept.below_threshold("missing-timeout", "unknown") is None
    assert kept.below_threshold("xss", "request") == Measured(19, 24, "request")


def test_the_triage_script_writes_the_kept_keys(tmp_path: Path) -> None:
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "run_triage", Path(__file__).resolve().parents[1] / "benchmarks" / "triage" / "run_triage.py")
    run_triage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_triage)
    previous = ('concerns:\n  missing-timeout: {dev: [150, 190]}\n  xss: {dev: [1, 10]}\n'
                'cells:\n  "missing-timeout @ unknown": {dev: [145, 176]}\n')
    current = ('concerns:\n  missing-timeout: {dev: [157, 201]}\n  xss: {dev: [1, 10]}\n'
               'cells:\n  "missing-timeout @ unknown": {dev: [148, 187]}\n')
    assert run_triage.kept_keys(previous, current) == ["missing-timeout @ unknown"]
    assert run_triage.kept_keys("", current) == []  # nothing admitted before: nothing kept


def test_a_partial_refit_replaces_only_the_concerns_it_measured(tmp_path: Path) -> None:
    """`run_triage.py --concern C --write-precision F`: C's entries (C as the file names it, one
    language family) come from the new measurements; every other entry and the repository list stay."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "run_triage", Path(__file__).resolve().parents[1] / "benchmarks" / "triage" / "run_triage.py")
    run_triage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_triage)
    path = tmp_path / "precision.yaml"
    path.write_text('repositories:\n  - "a/b@1 (dev)"\nconcerns:\n  xss: {dev: [1, 10]}\n'
                    '  race-condition: {dev: [4, 10]}\n  "race-condition [javascript]": {dev: [1, 5]}\n'
                    'cells:\n  "xss @ request": {dev: [1, 9]}\n  "race-condition @ request": {dev: [4, 10]}\n'
                    '  "race-condition [javascript] @ request": {dev: [1, 5]}\nkept: []\n', encoding="utf-8")
    gated = {"dev": {"concerns": {"race-condition": {"true": 9, "labelled": 10},
                                  "xss": {"true": 10, "labelled": 10}}}}
    by_reach = {"dev": {"concerns": {"race-condition @ request": {"true": 9, "labelled": 10}}}}
    results = [{"repo": "c/d", "commit": "2", "half": "dev", "total": {}}]
    run_triage.write_precision(path, gated, by_reach, results, only=frozenset({"race-condition"}))
    written = yaml.safe_load(path.read_text("utf-8"))
    assert written["repositories"] == ["a/b@1 (dev)"]
    assert written["concerns"] == {"xss": {"dev": [1, 10]}, "race-condition": {"dev": [9, 10]},
                                   "race-condition [javascript]": {"dev": [1, 5]}}
    assert written["cells"] == {"xss @ request": {"dev": [1, 9]}, "race-condition @ request": {"dev": [9, 10]},
                                "race-condition [javascript] @ request": {"dev": [1, 5]}}
    assert run_triage.main(["--concern", "race-condition"]) == 2  # only with --write-precision


def test_a_blocking_call_only_a_diagnostic_switch_turns_on_is_held_back() -> None:
    """Profiling, prompt tracing or debug output an operator switches on (a setting, never the
    request) bounds the cost by configuration; the same call under a client-chosen flag, a trace
    id, or the `else` of a debug switch stays on the request path."""
    case = Path(__file__).parent / "fixtures" / "blocking-call-in-async" / "diagnostic_switches"
    report = review(case, Settings(use_cache=False, profile="extended", select=frozenset({"blocking-call-in-async"})))
    reach = {f.location.start_line: f.reach for f in report.findings if f.location.path == "tracebox/app.py"}
    assert {line for line, kind in reach.items() if kind == "development"} == {18, 39, 47, 61}
    assert {line for line, kind in reach.items() if kind == "request"} == {25, 37, 40, 50, 52, 59}
    default = review(case, Settings(use_cache=False, select=frozenset({"blocking-call-in-async"})))
    assert not {f.location.start_line for f in default.findings} & {18, 39, 47, 61}
    held = next(f for f in report.findings if f.location.start_line == 39)
    assert "diagnostic switch" in held.held_back and "is_prompt_trace_enabled()" in held.held_back



def test_a_blocking_call_in_a_test_double_is_held_back() -> None:
    """A mock or fake service's methods stand in for the real work (a sleep imitating a model's
    latency): development-only, though a route reaches them; a real integration whose name only
    contains such a word (`MockingbirdService`) stays on the request path."""
    case = Path(__file__).parent / "fixtures" / "blocking-call-in-async" / "stand_ins"
    report = review(case, Settings(use_cache=False, profile="extended", select=frozenset({"blocking-call-in-async"})))
    reach = {f.location.start_line: f.reach for f in report.findings if f.location.path == "agentdesk/services.py"}
    assert {line for line, kind in reach.items() if kind == "development"} == {17, 23}
    assert {line for line, kind in reach.items() if kind == "request"} == {31, 32}
    assert reach[11] != "development"  # the real service (reached through a factory the call graph cannot tell)
    held = next(f for f in report.findings if f.location.start_line == 17)
    assert "MockAgentService is a test double" in held.held_back
    default = review(case, Settings(use_cache=False, select=frozenset({"blocking-call-in-async"})))
    assert not {f.location.start_line for f in default.findings} & {17, 23}


def test_the_triage_script_writes_confidence_sub_cells_only_where_a_cell_was_split() -> None:
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "run_triage", Path(__file__).resolve().parents[1] / "benchmarks" / "triage" / "run_triage.py")
    run_triage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_triage)
    row = lambda true, labelled: {"true": true, "labelled": labelled}  # noqa: E731
    by_confidence = {"dev": {"concerns": {"race-condition @ request (high)": row(3, 3),
                                          "race-condition @ request (medium)": row(2, 12),
                                          "xss @ request (high)": row(0, 10),
                                          "missing-index @ request (medium)": row(0, 0)}},
                     "test": {"concerns": {"race-condition @ request (high)": row(1, 1)}}}
    assert run_triage.split_by_confidence(by_confidence) == {
        "race-condition @ request (high)": {"test": [1, 1], "dev": [3, 3]},
        "race-condition @ request (medium)": {"dev": [2, 12]}}  # xss was measured at one confidence only
    finding = {"concern": "race-condition", "reach": "request", "confidence": "high",
               "location": {"path": "shop/views.py", "start_line": 3}}
    assert run_triage.confidence_key(finding) == "race-condition @ request (high)"


def test_the_shipped_policy_reads_each_list_into_its_own_field() -> None:
    """precision.yaml's `kept` keys are the gate's exceptions and profile.yaml's `written_not_run`
    the concerns judged on dead lines: a constructor argument out of order swapped them once and
    held back every kept cell (Flagsmith's true timing comparison left the default report)."""
    policy = load_policy()
    shipped = packaged_yaml(resources.files("servicelens.data").joinpath("precision.yaml").read_text("utf-8"))
    profile = packaged_yaml(resources.files("servicelens.data").joinpath("profile.yaml").read_text("utf-8"))
    assert policy.kept == frozenset(shipped["kept"]) and policy.kept
    assert policy.written_not_run == frozenset(profile["written_not_run"])
    assert policy.once_at_import == frozenset(profile["once_at_import"])
    assert policy.unreferenced_held_back_categories == frozenset(profile["unreferenced_held_back_categories"])
