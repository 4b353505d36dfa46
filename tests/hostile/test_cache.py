"""A shared cache is data, never code: planted, damaged or foreign entries are misses,
an untrusted directory is not used (and the report says why), and the key follows
every input that changes results, user model files included."""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import math
import os
import pickle
import shutil
import stat
import threading
from pathlib import Path

import pytest

from servicelens import runner
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.model.report import Report
from servicelens.render import render
from servicelens.sources import cache as cache_module
from servicelens.sources.cache import Cache, CacheRefused
from servicelens.sources.cache_codec import (
    FORMAT_VERSION,
    MAGIC,
    CorruptEntry,
    decode,
    encode,
    registry,
)
from servicelens.sources.discovery import discover
from servicelens.sources.reading import read_source
from servicelens.taint.models import user_models_fingerprint

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "payments-service"
REAL_TREES = (ROOT / "tests" / "fixtures", ROOT / "tests" / "projects", EXAMPLE)
OTHER_UID = 65534  # nobody


# ---------------------------------------------------------------- helpers

def _settings(cache_dir: Path | None, **changes: object) -> Settings:
    base = Settings(use_cache=False, profile="extended") if cache_dir is None else \
        Settings(cache_dir=str(cache_dir), profile="extended")
    return dataclasses.replace(base, **changes)


def _json(tree: Path, cache_dir: Path | None, **changes: object) -> str:
    return render(review(tree, _settings(cache_dir, **changes)), "json")


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("*.slc"))


def _framed(body: bytes, version: bytes = FORMAT_VERSION) -> bytes:
    """An entry with a correct header and checksum around an arbitrary body."""
    return b"%s %s %s\n%s" % (MAGIC, version, hashlib.sha256(body).hexdigest().encode(), body)


def _assert_same_shape(a: object, b: object, where: str = "value") -> None:
    """Equal AND built from the same types all the way down (1 == 1.0 == True, "x" == Enum.X)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b)  # type: ignore[arg-type]
        for i, (x, y) in enumerate(zip(a, b)):  # type: ignore[call-overload]
            _assert_same_shape(x, y, f"{where}[{i}]")
    elif isinstance(a, frozenset):
        assert a == b
        partner = {x: x for x in b}  # type: ignore[union-attr]
        for x in a:
            _assert_same_shape(x, partner[x], f"{where}{{...}}")
    elif isinstance(a, dict):
        assert list(a) == list(b)  # type: ignore[call-overload]
        for k in a:
            _assert_same_shape(a[k], b[k], f"{where}[{k!r}]")  # type: ignore[index]
    elif dataclasses.is_dataclass(a) and not isinstance(a, enum.Enum):
        for f in dataclasses.fields(a):
            _assert_same_shape(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)), where  # type: ignore[arg-type]


def _facts_of(tree: Path) -> list[object]:
    settings = Settings(use_cache=False, include_tests=True)
    found = discover(tree, settings)
    sources = [s for s in (read_source(item)[0] for item in found.files) if s is not None]
    jobs = [runner.FileJob(s.rel, s.text, s.sha256) for s in sources if s.kind == "python"]
    return list(runner.analyze_batch(jobs, (), runner._operation_ids(sources), True))


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    target = tmp_path / "svc"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture()
def warm(tree: Path, tmp_path: Path) -> tuple[Path, str]:
    """A cache filled by one review of `tree`, and the --no-cache output to compare with."""
    cache_dir = tmp_path / "cache" / "servicelens"
    reference = _json(tree, None)
    assert _json(tree, cache_dir) == reference
    assert len(_entries(cache_dir)) >= 5  # facts per Python file plus the report
    return cache_dir, reference


# ---------------------------------------------------------------- round trip

@pytest.mark.parametrize("tree_root", REAL_TREES, ids=lambda p: p.name)
def test_file_facts_of_real_reviews_round_trip_exactly(tree_root: Path) -> None:
    facts = _facts_of(tree_root)
    assert facts
    seen_collected = set()
    for fact in facts:
        back = decode(encode(fact))
        _assert_same_shape(fact, back, fact.rel)  # type: ignore[attr-defined]
        seen_collected.update(type(v) for _, v in fact.collected)  # type: ignore[attr-defined]
    if tree_root.name == "fixtures":  # rich enough to exercise the rules' own fact types
        assert len([t for t in seen_collected if dataclasses.is_dataclass(t)]) >= 8


@pytest.mark.parametrize("tree_root", REAL_TREES, ids=lambda p: p.name)
def test_reports_of_real_reviews_round_trip_and_render_byte_identically(tree_root: Path) -> None:
    report = review(tree_root, Settings(use_cache=False, profile="extended"))
    back = decode(encode(report))
    assert isinstance(back, Report)
    _assert_same_shape(report, back, "report")
    for fmt in ("json", "sarif", "markdown", "html"):
        assert render(back, fmt) == render(report, fmt)


def test_round_trip_keeps_container_types_key_order_and_odd_floats() -> None:
    from servicelens.model.finding import Location
    from servicelens.taint.values import Origin, Step

    origin = Origin(("src", "http", "query", 3), frozenset({"sql", "all"}), (Step("a.py", 3, "read"),))
    value = (origin, [1, True, 1.0, -0.0, float("inf"), None, "\udcff surrogate"],
             {"b": (1,), "a": frozenset({(True,), (1.5,)}), (1, "k"): []}, Location("x.py", 9, 2))
    back = decode(encode(value))
    _assert_same_shape(value, back)
    assert back[3].end_line == 9  # type: ignore[index]
    assert str(back[1][3]) == "-0.0"  # type: ignore[index]


def test_anything_outside_the_allow_list_is_not_encoded() -> None:
    from servicelens.sources.cache import entry_bytes

    class Outsider:
        pass

    deep: object = ()
    for _ in range(5000):
        deep = (deep,)
    huge = int("9" * 4000) * int("9" * 4000)  # more digits than str() may convert
    for value in (Outsider(), {1, 2}, (b"bytes",), ("x", object()), Path("a"), deep, (huge,), 1j):
        assert entry_bytes(value) is None


def test_the_allow_list_is_servicelens_types_only() -> None:
    names = registry().by_name
    assert "analysis.facts.FileFacts" in names and "model.report.Report" in names
    assert "model.finding.Severity" in names
    assert all(spec.cls.__module__.startswith("servicelens.") for spec in names.values())
    core = registry(rule_facts=False).by_name
    assert set(core) < set(names) and "model.report.Report" in core
    assert "rules.python.rate_limit.Facts" in names and "rules.python.rate_limit.Facts" not in core


# ---------------------------------------------------------------- damaged and planted entries

def _evil_pickle(marker: Path) -> bytes:
    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(marker), "w"))

    return pickle.dumps(Evil())


def test_planted_pickle_at_every_entry_path_never_runs(tree: Path, warm: tuple[Path, str], tmp_path: Path) -> None:
    cache_dir, reference = warm
    marker = tmp_path / "pwned"
    payload = _evil_pickle(marker)
    for entry in _entries(cache_dir):
        entry.write_bytes(payload)
        entry.with_suffix(".pickle").write_bytes(payload)  # where the old format looked
    assert _json(tree, cache_dir) == reference
    assert not marker.exists()
    assert _json(tree, cache_dir) == reference  # the misses were rewritten as good entries
    assert not marker.exists()


def _damaged_variants() -> dict[str, object]:
    def swap_version(data: bytes) -> bytes:
        _, body = data.split(b"\n", 1)
        return _framed(body, version=b"0")

    def flip_body_byte(data: bytes) -> bytes:
        return data[:-2] + bytes([data[-2] ^ 0x01]) + data[-1:]

    def unknown_type(data: bytes) -> bytes:
        table = json.loads(data.split(b"\n", 1)[1])
        table[0] = ["os.system" for _ in table[0]]
        return _framed(json.dumps(table).encode())

    def wrong_field_count(data: bytes) -> bytes:
        table = json.loads(data.split(b"\n", 1)[1])
        for node in table[4]:
            if node[0] >= 4:
                node.append(0)
        return _framed(json.dumps(table).encode())

    def wrong_field_type(data: bytes) -> bytes:
        table = json.loads(data.split(b"\n", 1)[1])
        for node in table[4]:
            if node[0] >= 4 and len(node) > 2:
                node[1:] = [0] * (len(node) - 1)  # every field None
        return _framed(json.dumps(table).encode())

    return {
        "empty": lambda data: b"",
        "truncated": lambda data: data[: len(data) // 2],
        "header only": lambda data: data.split(b"\n", 1)[0] + b"\n",
        "garbage": lambda data: os.urandom(len(data)),
        "invalid utf-8 with a good checksum": lambda data: _framed(b"[\xff\xfe\xfd]"),
        "wrong version": swap_version,
        "bad checksum": flip_body_byte,
        "json object": lambda data: _framed(b'{"a": 1}'),
        "deep nesting": lambda data: _framed(b"[" * 100_000 + b"]" * 100_000),
        "negative reference": lambda data: _framed(b'[[],[],[],[],[[0,-1]],3]'),
        "forward reference": lambda data: _framed(b'[[],[],[],[],[[0,9]],3]'),
        "unknown type": unknown_type,
        "wrong field count": wrong_field_count,
        "wrong field type": wrong_field_type,
    }


@pytest.mark.parametrize("name", sorted(_damaged_variants()))
def test_damaged_entries_are_misses_and_output_equals_no_cache(
        name: str, tree: Path, warm: tuple[Path, str]) -> None:
    cache_dir, reference = warm
    damage = _damaged_variants()[name]
    for entry in _entries(cache_dir):
        data = entry.read_bytes()
        with pytest.raises(CorruptEntry):
            decode(damage(data))  # type: ignore[operator]
        entry.write_bytes(damage(data))  # type: ignore[operator]
    assert _json(tree, cache_dir) == reference


def test_an_entry_that_is_a_fifo_or_a_directory_is_a_miss_without_hanging(
        tree: Path, warm: tuple[Path, str]) -> None:
    cache_dir, reference = warm
    for index, entry in enumerate(_entries(cache_dir)):
        entry.unlink()
        if index % 2:
            os.mkfifo(entry)
        else:
            entry.mkdir()
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(_json(tree, cache_dir)), daemon=True)
    worker.start()
    worker.join(20)
    assert outcome == [reference], "the review hung on a FIFO or failed"


# ---------------------------------------------------------------- entries not ours

def _doctored_report_entry(cache_dir: Path) -> Path:
    """The report entry, rewritten as a VALID entry with a visible change: whether the
    output shows the change tells whether the entry was used."""
    for entry in _entries(cache_dir):
        value = decode(entry.read_bytes())
        if isinstance(value, Report):
            entry.write_bytes(encode(dataclasses.replace(value, tool_version="doctored-9.9")))
            return entry
    raise AssertionError("no report entry")


def test_a_doctored_entry_of_ours_is_used_which_makes_the_next_tests_meaningful(
        tree: Path, warm: tuple[Path, str]) -> None:
    cache_dir, _ = warm
    _doctored_report_entry(cache_dir)
    assert "doctored-9.9" in _json(tree, cache_dir)


@pytest.mark.parametrize("how", ["owned by another user", "writable by others", "group-writable",
                                 "a symlink to a good entry", "in a symlinked folder"])
def test_entries_not_exclusively_ours_are_not_read(how: str, tree: Path, warm: tuple[Path, str],
                                                  tmp_path: Path) -> None:
    cache_dir, reference = warm
    entry = _doctored_report_entry(cache_dir)
    if how == "owned by another user":
        os.chown(entry, OTHER_UID, OTHER_UID)
    elif how == "writable by others":
        entry.chmod(0o646)
    elif how == "group-writable":
        entry.chmod(0o660)
    elif how == "a symlink to a good entry":
        elsewhere = tmp_path / "elsewhere.slc"
        entry.rename(elsewhere)
        entry.symlink_to(elsewhere)
    else:
        folder = entry.parent
        real = tmp_path / "real-folder"
        folder.rename(real)
        folder.symlink_to(real)
    assert _json(tree, cache_dir) == reference


# ---------------------------------------------------------------- the directory

def _forbid_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Cache, key: str) -> bytes | None:
        raise AssertionError("read from an untrusted cache")

    monkeypatch.setattr(Cache, "get_bytes", refuse)
    monkeypatch.setattr(Cache, "put_bytes", lambda self, key, data: refuse(self, key))


@pytest.mark.parametrize("how,reason", [
    ("world-writable", "is writable by other users"),
    ("group-writable", "is writable by other users"),
    ("owned by another user", f"is owned by another user (uid {OTHER_UID})"),
    ("a symlink", "is a symbolic link"),
    ("a file", "is not a directory"),
])
def test_an_untrusted_cache_directory_is_not_used_and_the_report_says_why(
        how: str, reason: str, tree: Path, warm: tuple[Path, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir, reference = warm
    _doctored_report_entry(cache_dir)
    if how == "world-writable":
        cache_dir.chmod(0o777)
    elif how == "group-writable":
        cache_dir.chmod(0o770)
    elif how == "owned by another user":
        os.chown(cache_dir, OTHER_UID, OTHER_UID)
    elif how == "a symlink":
        real = tmp_path / "real-cache"
        cache_dir.rename(real)
        cache_dir.symlink_to(real)
    else:
        shutil.rmtree(cache_dir)
        cache_dir.write_text("not a directory")
    _forbid_reads(monkeypatch)
    report = review(tree, _settings(cache_dir))
    notes = [d for d in report.diagnostics if d.kind == "cache"]
    assert len(notes) == 1
    assert notes[0].message == f"cache directory {cache_dir} {reason}; cache not used"
    assert notes[0].path == str(cache_dir)
    without = dataclasses.replace(report, diagnostics=tuple(d for d in report.diagnostics if d.kind != "cache"))
    assert render(without, "json") == reference


def test_an_untrusted_cache_is_reported_through_the_cli_with_exit_code_0(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from servicelens.cli.main import main

    home = tmp_path / "xdg"
    (home / "servicelens").mkdir(parents=True)
    (home / "servicelens").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert main(["review", str(tree), "--profile", "extended", "-f", "json", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "is writable by other users; cache not used" in out


def test_a_fresh_cache_directory_is_private_even_under_umask_0(tree: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "xdg" / "deeper" / "servicelens"
    old = os.umask(0)
    try:
        reference = _json(tree, None)
        assert _json(tree, cache_dir) == reference
    finally:
        os.umask(old)
    for folder in (tmp_path / "xdg", tmp_path / "xdg" / "deeper", cache_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    entries = _entries(cache_dir)
    assert entries
    for entry in entries:
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600, entry
        assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700, entry.parent
    assert _json(tree, cache_dir) == reference


def test_cache_open_refuses_with_a_reason_and_accepts_a_private_dir(tmp_path: Path) -> None:
    good = tmp_path / "good"
    opened = Cache.open(str(good), "salt")
    assert isinstance(opened, Cache)
    good.chmod(0o757)
    refused = Cache.open(str(good), "salt")
    assert isinstance(refused, CacheRefused) and "writable by other users" in refused.reason


def test_an_uncreatable_cache_directory_only_costs_speed(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _json(tree, blocker / "servicelens") == _json(tree, None)


# ---------------------------------------------------------------- the key

_APP = '''from flask import Flask, request

import legacydb

app = Flask(__name__)


@app.get("/report")
def report():
    return legacydb.run_raw(request.args["q"])
'''


def _model(call: str) -> str:
    return f"framework: legacydb\nlanguage: python\nsinks:\n  - {{call: {call}, args: [0], kind: command-injection}}\n"


def test_editing_a_user_model_file_invalidates_cached_results(tmp_path: Path) -> None:
    tree = tmp_path / "app"
    tree.mkdir()
    (tree / "app.py").write_text(_APP)
    models = tmp_path / "models"
    models.mkdir()
    model = models / "legacy.yaml"
    model.write_text(_model("legacydb.something_else"))
    cache_dir = tmp_path / "cache" / "servicelens"
    extra = {"extra_model_dirs": (str(models),)}

    before = _json(tree, cache_dir, **extra)
    assert before == _json(tree, None, **extra)
    assert "command-injection" not in before

    model.write_text(_model("legacydb.run_raw"))
    after = _json(tree, cache_dir, **extra)
    assert after == _json(tree, None, **extra)
    assert "command-injection" in after

    (models / "another.yaml").write_text("framework: other\nlanguage: python\n")
    assert _json(tree, cache_dir, **extra) == _json(tree, None, **extra)


def test_the_model_fingerprint_follows_content_and_never_blocks(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "a.yaml").write_text("framework: a\n")
    first = user_models_fingerprint((str(models),))
    assert user_models_fingerprint((str(models),)) == first
    (models / "a.yaml").write_text("framework: b\n")
    second = user_models_fingerprint((str(models),))
    assert second != first
    os.mkfifo(models / "b.yaml")
    assert user_models_fingerprint((str(models),)) not in (first, second)  # returns: no blocking read
    assert user_models_fingerprint(()) == user_models_fingerprint((str(tmp_path / "missing"),))


def test_cache_entries_are_keyed_by_the_format_version(tmp_path: Path) -> None:
    cache = Cache.open(str(tmp_path / "c"), "salt")
    assert isinstance(cache, Cache)
    assert cache.key("a") != dataclasses.replace(cache, salt="other").key("a")
    assert cache_module.FORMAT != "3"  # pickles written by older versions are never even looked up


def test_every_setting_that_can_change_results_is_in_the_cache_key() -> None:
    from servicelens.config.settings import RESULT_NEUTRAL_SETTINGS

    base = Settings()
    changed = {
        "select": frozenset({"sql-injection"}), "ignore": frozenset({"ssrf"}), "exclude": ("x/",),
        "severity_overrides": (("ssrf", "low"),), "max_file_bytes": 10, "auth_middleware": ("gateway",),
        "trusted_hosts": ("a.example",), "extra_model_dirs": ("/m",), "include_tests": True,
            "config_file": "servicelens.toml",
    }
    names = {f.name for f in dataclasses.fields(Settings)}
    assert names == set(changed) | RESULT_NEUTRAL_SETTINGS, "a new setting: is it result-neutral?"
    for name, value in changed.items():
        assert dataclasses.replace(base, **{name: value}).cache_fingerprint() != base.cache_fingerprint(), name
    for name, value in {"jobs": 3, "use_cache": False, "cache_dir": "/c", "progress": True}.items():
        assert dataclasses.replace(base, **{name: value}).cache_fingerprint() == base.cache_fingerprint(), name
    many = frozenset(f"c{i}" for i in range(50))
    assert Settings(select=many).cache_fingerprint() == Settings(select=frozenset(sorted(many))).cache_fingerprint()


def test_no_cache_dir_means_no_cache_not_the_working_directory(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Cache.open("", "salt") is None
    review(EXAMPLE, Settings(cache_dir=""))
    assert list(tmp_path.iterdir()) == []


def test_odd_literals_and_deep_code_are_cached_or_skipped_never_wrong(tmp_path: Path) -> None:
    tree = tmp_path / "odd"
    tree.mkdir()
    nested = "(" * 400 + "request.args['q']" + ")" * 400
    (tree / "odd.py").write_text(
        "from flask import Flask, request\nimport os\n\napp = Flask(__name__)\n\n"
        "X = (b'bytes', 1j, ..., 1e400, -0.0, float('nan'), 10 ** 40, {1: {2: {3: 'x'}}}, frozenset({1}))\n\n"
        f"@app.get('/x')\ndef handler():\n    value = {nested}\n    os.system('ls ' + value)\n"
        "    return '\\udcff' if X else ''\n")
    cache_dir = tmp_path / "cache"
    reference = _json(tree, None)
    assert "command-injection" in reference
    assert _json(tree, cache_dir) == reference
    assert _json(tree, cache_dir) == reference
    (tree / "other.py").write_text("Y = 1\n")  # tree key changes: per-file entries are read back
    assert _json(tree, cache_dir) == _json(tree, None)


def test_entries_past_the_size_cap_are_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache.open(str(tmp_path / "c"), "salt")
    assert isinstance(cache, Cache)
    cache.put("aa" + "0" * 62, ("small",))
    cache.put("bb" + "0" * 62, ("x" * 5000,))
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 1000)
    assert cache.get("aa" + "0" * 62) == ("small",)
    assert cache.get("bb" + "0" * 62) is None
    assert cache.get("cc" + "0" * 62) is None  # absent
