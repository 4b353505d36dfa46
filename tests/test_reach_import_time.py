"""Reach (analysis/import_time.py): a module's top-level statements run once, at import
(`startup`); a module a same-named package shadows never runs (`dead`), which needs the package
in the review: reviewed alone, the module is judged as before."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.analysis.import_time import import_time_lines
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool

CONFIG = """
    import requests

    WELL_KNOWN = requests.get("https://idp.example.com/.well-known/openid-configuration").json()


    class Provider:
        keys = requests.get("https://idp.example.com/keys").json()

        def refresh(self):
            return requests.get("https://idp.example.com/keys").json()


    def fetch_status(base):
        return requests.get(f"{base}/status").json()
    """

STALE = """
    import requests


    def list_models(base):
        return requests.get(f"{base}/models").json()
    """


def _reach(tmp_path: Path, target: Path | None = None) -> dict[tuple[str, int], str]:
    report = review(target or tmp_path, Settings(use_cache=False, profile="extended",
                                                 select=frozenset({"missing-timeout"})))
    return {(f.location.path, f.location.start_line): f.reach for f in report.findings}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")


def test_module_and_class_level_calls_run_at_import(tmp_path: Path) -> None:
    _write(tmp_path / "app" / "config.py", CONFIG)
    reaches = _reach(tmp_path)
    assert reaches[("app/config.py", 4)] == "startup"  # module level
    assert reaches[("app/config.py", 11)] == ""  # a method: whoever calls it
    assert reaches[("app/config.py", 15)] == ""  # a function: whoever calls it


def test_import_time_findings_are_held_back_from_the_default(tmp_path: Path) -> None:
    _write(tmp_path / "app" / "config.py", CONFIG)
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    held = {f.location.start_line: f.held_back for f in report.findings}
    assert "runs once" in held[4]


def test_module_shadowed_by_a_package_is_dead(tmp_path: Path) -> None:
    _write(tmp_path / "app" / "__init__.py", "")
    _write(tmp_path / "app" / "providers.py", STALE)
    _write(tmp_path / "app" / "providers" / "__init__.py", "from .openai import list_models\n")
    _write(tmp_path / "app" / "providers" / "openai.py", STALE)
    reaches = _reach(tmp_path)
    assert reaches[("app/providers.py", 6)] == "dead"
    assert reaches[("app/providers/openai.py", 6)] == ""
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    dead = next(f for f in report.findings if f.location.path == "app/providers.py")
    assert "can never be imported" in dead.held_back


def test_an_empty_init_makes_a_shadowing_package(tmp_path: Path) -> None:
    # an empty `__init__.py` has nothing to review, but it still makes its directory the package
    # Python imports instead of the module beside it
    _write(tmp_path / "app" / "__init__.py", "")
    _write(tmp_path / "app" / "providers.py", STALE)
    _write(tmp_path / "app" / "providers" / "__init__.py", "")
    _write(tmp_path / "app" / "providers" / "openai.py", STALE)
    reaches = _reach(tmp_path)
    assert reaches[("app/providers.py", 6)] == "dead"
    assert reaches[("app/providers/openai.py", 6)] == ""
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    assert not any(d.path.endswith("__init__.py") for d in report.diagnostics)


def test_a_directory_without_init_does_not_shadow(tmp_path: Path) -> None:
    # a directory without `__init__.py` is a namespace portion: the module file wins
    _write(tmp_path / "app" / "providers.py", STALE)
    _write(tmp_path / "app" / "providers" / "openai.py", STALE)
    assert _reach(tmp_path)[("app/providers.py", 6)] == ""


def test_module_reviewed_alone_is_not_judged_dead(tmp_path: Path) -> None:
    _write(tmp_path / "app" / "providers.py", STALE)
    _write(tmp_path / "app" / "providers" / "__init__.py", "")
    reaches = _reach(tmp_path, tmp_path / "app" / "providers.py")
    assert set(reaches.values()) == {""}


def test_import_time_lines_are_calls_of_module_and_class_bodies() -> None:
    source = dedent("""
        import os
        if os.environ.get("X"):
            LIMIT = 5


        class Settings:
            timeout = int(os.environ["T"])

            def load(self):
                return 1


        def main():
            return 2


        if __name__ == "__main__":
            main()
        """)
    data = source.encode()
    module = lower_module(ParserPool().parse("python", data).root_node, "app/settings.py", tuple(source.splitlines()))
    lines = {line for first, last in import_time_lines(module) for line in range(first, last + 1)}
    assert {3, 8}.issubset(lines)  # calls made at import
    assert not lines & {4, 10, 11, 14, 15, 18, 19}  # a plain declaration, function bodies, the script block
