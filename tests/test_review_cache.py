"""The review cache: a re-review of an unchanged tree answers from the whole tree's entry
before reading what the project's files declare for each other (runner._operation_ids, a
read of every Python file), and per-file facts still depend on those declarations."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from servicelens import runner
from servicelens.cli.main import main
from servicelens.sources.cache import Cache

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "payments-service"


def test_unchanged_tree_is_answered_without_the_project_prescan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tree = tmp_path / "svc"
    shutil.copytree(EXAMPLE, tree)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert main(["review", str(tree), "-f", "json", "-o", str(first), "--quiet"]) == 0

    def refuse(*_: object) -> frozenset[str]:
        raise AssertionError("the unchanged tree was read again for its operation ids")

    monkeypatch.setattr(runner, "_operation_ids", refuse)
    assert main(["review", str(tree), "-f", "json", "-o", str(second), "--quiet"]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_changed_tree_still_reads_what_files_declare_for_each_other(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tree = tmp_path / "svc"
    shutil.copytree(EXAMPLE, tree)
    assert main(["review", str(tree), "-f", "json", "-o", str(tmp_path / "a.json"), "--quiet"]) == 0
    calls: list[int] = []
    real = runner._operation_ids

    def counted(sources: object) -> frozenset[str]:
        calls.append(1)
        return real(sources)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_operation_ids", counted)
    (tree / "extra.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    assert main(["review", str(tree), "-f", "json", "-o", str(tmp_path / "b.json"), "--quiet"]) == 0
    assert calls == [1]


def test_per_file_keys_depend_on_the_added_salt(tmp_path: Path) -> None:
    cache = Cache.open(str(tmp_path / "c"), "settings")
    assert isinstance(cache, Cache)
    plain, salted, other = cache.key("a.py", "sha"), cache.salted("ids-1").key("a.py", "sha"), \
        cache.salted("ids-2").key("a.py", "sha")
    assert len({plain, salted, other}) == 3
    assert cache.salted("ids-1").key("a.py", "sha") == salted
