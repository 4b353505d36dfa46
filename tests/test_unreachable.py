"""Statements that can never run (analysis/unreachable.py): which lines the pass marks in both
languages, and what the report does with a finding there and with a function only such lines call."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.analysis.unreachable import text_that_runs, unreachable_statements
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool
from tests.lang_javascript.lowering_helpers import lower as lower_js


def _python_lines(source: str) -> set[int]:
    text = dedent(source)
    tree = ParserPool().parse("python", text.encode())
    module = lower_module(tree.root_node, "app.py", tuple(text.splitlines()))
    return {line for dead in unreachable_statements(module) for line in range(dead.line, dead.end_line + 1)}


def _js_lines(source: str, rel: str = "app.ts") -> set[int]:
    return {line for dead in unreachable_statements(lower_js(dedent(source), rel))
            for line in range(dead.line, dead.end_line + 1)}


def test_python_ways_out_and_the_ways_back_in() -> None:
    lines = _python_lines("""
        import contextlib

        def caught(x):
            try:
                raise ValueError(x)
            except ValueError:
                pass
            return 1

        def swallowed(x):
            with contextlib.suppress(KeyError):
                raise KeyError(x)
            return 2

        def both(x):
            if x:
                return 1
            elif x is None:
                raise ValueError()
            else:
                return 3
            return 4

        def loop_else(items):
            for item in items:
                if item:
                    break
            else:
                return 5
            return 6

        def looked_up(d, k, lock):
            with contextlib.suppress(KeyError):
                return d[k]
            with lock:
                return None
            return 7
        """)
    assert lines == {23, 38}


def test_python_only_awaited_raising_coroutines_and_unshadowed_builtins_never_return() -> None:
    lines = _python_lines("""
        def exit(code):
            return code

        async def deny():
            raise PermissionError()

        @some_registry
        def registered():
            raise RuntimeError()

        async def handler():
            exit(1)
            deny()
            registered()
            await deny()
            return 1
        """)
    assert lines == {17}


def test_a_definition_after_a_return_is_not_marked() -> None:
    assert _python_lines("""
        def outer():
            return inner
            def inner():
                return 1
        """) == set()
    assert _js_lines("""
        export function outer() {
          return helper();
          function helper() { return 1; }
        }
        """) == set()


def test_javascript_switch_breaks_and_labelled_breaks_reach_what_follows() -> None:
    lines = _js_lines("""
        export async function pick(kind: string) {
          switch (kind) {
            case "a":
              await one();
              break;
            default:
              break;
          }
          outer: while (true) {
            for (const item of items) {
              if (item) break outer;
            }
          }
          for (let i = 0; i < 3; i++) {
            continue;
          }
          while (true) {
            await poll();
          }
          return after();
        }
        """)
    assert lines == {21}


def test_javascript_do_while_false_runs_its_body_once() -> None:
    assert _js_lines("""
        export async function once(id: string) {
          do {
            await load(id);
          } while (false);
          while (false) {
            await never(id);
          }
          return done(id);
        }
        """) == {7}


def test_a_file_that_does_not_parse_is_not_judged(tmp_path: Path) -> None:
    """A parse error may have cut a block short (a Flow-annotated .js file parsed as one ERROR
    node lowered its `if` bodies into the function's): what follows is not concluded from it."""
    (tmp_path / "app.py").write_text(dedent("""
        import requests


        def rates(currency):
            return None
            return requests.get(currency)


        def broken(:
            pass
        """), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    assert [f.location.start_line for f in report.findings] == [7]
    assert report.stats.unreachable == 0


def test_the_text_that_runs_still_parses() -> None:
    text = dedent("""
        def view():
            if False: helper()
            return 1
            helper(
                2)
        """)
    tree = ParserPool().parse("python", text.encode())
    module = lower_module(tree.root_node, "app.py", tuple(text.splitlines()))
    kept = text_that_runs(text, unreachable_statements(module))
    compile(kept, "app.py", "exec")
    assert "helper" not in kept


SERVICE = """
    import requests
    from flask import Flask

    app = Flask(__name__)


    def _legacy_rates(currency):
        return requests.get(f"https://rates.example.com/{currency}").json()


    @app.get("/rates/<currency>")
    def rates(currency):
        return {"currency": currency}
        return _legacy_rates(currency)
    """


def test_a_function_only_unreachable_code_calls_is_called_by_nothing(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(dedent(SERVICE), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    [finding] = report.findings
    assert finding.location.start_line == 9
    assert finding.reach == "unreferenced"  # not "request": the handler's call after its return never runs
    default = review(tmp_path, Settings(use_cache=False, select=frozenset({"missing-timeout"})))
    assert not default.findings and default.stats.unreachable == 0


def test_calls_on_lines_that_can_never_run_reach_nothing() -> None:
    from servicelens.analysis.request_paths import PathFacts, Step
    from servicelens.analysis.unreachable import Unreachable, without_unreachable_steps

    paths = PathFacts(steps=(Step("app.view", "app.charge", 4), Step("app.view", "app.refund", 9)))
    kept = without_unreachable_steps(paths, (Unreachable(8, 10, "after the `return` at line 7"),))
    assert [step.callee for step in kept.steps] == ["app.charge"]
    assert without_unreachable_steps(paths, ()) is paths
