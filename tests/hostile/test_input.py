"""A hostile reviewed tree can neither hang, crash, nor steer the reviewer (issue 8).

Cases that could hang run the real CLI in a subprocess with a generous timeout, so a
regression fails the test instead of hanging the suite."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from servicelens.cli.main import main
from servicelens.config.settings import Settings
from servicelens.sources.discovery import discover
from servicelens.sources.reading import decode_source, read_source
from tests.hostile.conftest import VULNERABLE

HANG_BOUND = 60  # seconds: generous; the point is that it finishes at all


def run_cli(*args: str | Path, cache: Path) -> tuple[int, str, str]:
    """The real entry point in a child process: returns (exit code, stdout, stderr)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    done = subprocess.run([sys.executable, "-m", "servicelens", *map(str, args)], capture_output=True,
                          timeout=HANG_BOUND, env=env, check=False)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def review_json(root: Path, cache: Path, *extra: str) -> dict:
    code, out, err = run_cli("review", root, "--profile", "extended", "-f", "json", "-q", *extra, cache=cache)
    assert code == 0, err
    return json.loads(out)


def kinds(report: dict) -> dict[str, str]:
    return {d["path"]: d["kind"] for d in report["diagnostics"]}


def still_finds_the_vulnerable_file(report: dict) -> bool:
    return any(f["concern"] == "command-injection" and f["location"]["path"] == "vulnerable.py"
               for f in report["findings"])


@pytest.mark.parametrize("name", ["app.py", "openapi.yaml", "pyproject.toml", ".gitignore", "servicelens.toml"])
def test_fifo_named_like_input_is_skipped_not_read(tree: Path, tmp_path: Path, name: str) -> None:
    os.mkfifo(tree / name)
    report = review_json(tree, tmp_path / "cache")
    assert still_finds_the_vulnerable_file(report)
    assert kinds(report)[name] in ("not-a-regular-file", "config", "ignore-file")
    assert "FIFO" in next(d["message"] for d in report["diagnostics"] if d["path"] == name)


def test_symlinks_to_devices_are_not_followed(tree: Path, tmp_path: Path) -> None:
    (tree / "app.py").symlink_to("/dev/zero")
    (tree / "rand.py").symlink_to("/dev/urandom")
    (tree / "openapi.yaml").symlink_to("/dev/zero")
    report = review_json(tree, tmp_path / "cache")
    assert still_finds_the_vulnerable_file(report)
    assert {kinds(report)[n] for n in ("app.py", "rand.py", "openapi.yaml")} == {"symlink"}


def test_a_real_character_device_is_not_opened(tree: Path, tmp_path: Path) -> None:
    try:
        os.mknod(tree / "app.py", 0o600 | 0o020000, os.makedev(1, 5))  # what /dev/zero is
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    report = review_json(tree, tmp_path / "cache")
    assert kinds(report)["app.py"] == "not-a-regular-file"
    assert "character device" in next(d["message"] for d in report["diagnostics"] if d["path"] == "app.py")
    assert still_finds_the_vulnerable_file(report)


def test_reviewing_a_fifo_directly_is_a_diagnostic(tmp_path: Path) -> None:
    fifo = tmp_path / "app.py"
    os.mkfifo(fifo)
    code, out, _ = run_cli("review", fifo, "--profile", "extended", "-f", "json", "-q", "--no-cache", cache=tmp_path / "cache")
    assert code == 0
    assert kinds(json.loads(out))["app.py"] == "not-a-regular-file"


def test_symlink_inside_the_root_is_read_outside_is_not(tree: Path, tmp_path: Path, cache_home: Path) -> None:
    (tree / "inside.py").symlink_to(tree / "vulnerable.py")
    outside = tmp_path / "outside.py"
    outside.write_text(VULNERABLE)
    (tree / "outside.py").symlink_to(outside)
    found = discover(tree, Settings())
    assert [f.rel for f in found.files] == ["inside.py", "vulnerable.py"]
    assert found.files[0].path == (tree / "vulnerable.py").resolve()
    assert {d.path: d.kind for d in found.diagnostics}["outside.py"] == "symlink"
    assert str(tmp_path) not in " ".join(d.message for d in found.diagnostics)


def test_a_file_that_grows_after_discovery_is_capped(tree: Path) -> None:
    settings = Settings(max_file_bytes=1000, use_cache=False)
    (tree / "grows.py").write_text("x = 1\n")
    found = next(f for f in discover(tree, settings).files if f.rel == "grows.py")
    (tree / "grows.py").write_text("x = 1\n" * 1000)
    source, diagnostic = read_source(found)
    assert source is None
    assert diagnostic is not None and diagnostic.kind == "too-large"


def test_a_file_swapped_for_a_fifo_after_discovery_is_refused(tree: Path) -> None:
    (tree / "swap.py").write_text("x = 1\n")
    found = next(f for f in discover(tree, Settings()).files if f.rel == "swap.py")
    (tree / "swap.py").unlink()
    os.mkfifo(tree / "swap.py")
    source, diagnostic = read_source(found)
    assert source is None and diagnostic is not None and diagnostic.kind == "not-a-regular-file"


def test_a_file_swapped_for_a_symlink_after_discovery_is_refused(tree: Path, tmp_path: Path) -> None:
    (tree / "swap.py").write_text("x = 1\n")
    found = next(f for f in discover(tree, Settings()).files if f.rel == "swap.py")
    (tree / "swap.py").unlink()
    secret = tmp_path / "secret.py"
    secret.write_text("password = 'hunter2'\n")
    (tree / "swap.py").symlink_to(secret)
    source, diagnostic = read_source(found)
    assert source is None and diagnostic is not None and diagnostic.kind == "symlink"


def test_pathological_gitignore_pattern_does_not_hang(tree: Path, tmp_path: Path) -> None:
    (tree / ".gitignore").write_text("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c\n")
    (tree / ("a" * 200 + ".py")).write_text("x = 1\n")
    deep = tree
    for _ in range(15):
        deep = deep / ("a" * 200)
    deep.mkdir(parents=True)
    (deep / "b.py").write_text("y = 2\n")
    report = review_json(tree, tmp_path / "cache", "--no-cache")
    assert still_finds_the_vulnerable_file(report)
    assert report["stats"]["files"] == 3


def test_pathological_exclude_pattern_does_not_hang(tree: Path, tmp_path: Path) -> None:
    (tree / "servicelens.toml").write_text('exclude = ["*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c"]\n')
    (tree / ("a" * 250 + ".py")).write_text("x = 1\n")
    report = review_json(tree, tmp_path / "cache", "--no-cache")
    assert still_finds_the_vulnerable_file(report)


def test_invalid_gitignore_lines_are_diagnostics_and_the_rest_applies(tree: Path, cache_home: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".gitignore").write_text("[z-a]\n!\nskipped.py\nx[\n")
    (tree / "skipped.py").write_text(VULNERABLE)
    assert main(["review", str(tree), "--profile", "extended", "-f", "json", "-q", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert still_finds_the_vulnerable_file(report)
    assert "skipped.py" not in {f["location"]["path"] for f in report["findings"]}
    bad = [d for d in report["diagnostics"] if d["path"] == ".gitignore"]
    assert [d["line"] for d in bad] == [1, 2, 4]
    assert all(d["kind"] == "ignore-file" for d in bad)
    assert "reversed range" in bad[0]["message"]


def test_negation_in_a_deeper_gitignore_reincludes(tree: Path) -> None:
    (tree / ".gitignore").write_text("*.py\n")
    (tree / "sub").mkdir()
    (tree / "sub" / ".gitignore").write_text("!keep.py\n")
    (tree / "sub" / "keep.py").write_text("x = 1\n")
    (tree / "sub" / "drop.py").write_text("x = 1\n")
    assert [f.rel for f in discover(tree, Settings()).files] == ["sub/keep.py"]


def test_symlinked_gitignore_is_not_read(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside-ignore"
    outside.write_text("vulnerable.py\n")
    (tree / ".gitignore").symlink_to(outside)
    found = discover(tree, Settings())
    assert [f.rel for f in found.files] == ["vulnerable.py"]
    assert {d.path: d.kind for d in found.diagnostics}[".gitignore"] == "ignore-file"


def review_bytes(capsysbinary: pytest.CaptureFixture[bytes], *args: str | Path) -> tuple[int, str]:
    """In process, stdout as bytes decoded strictly: invalid UTF-8 fails the test."""
    code = main(["review", *map(str, args), "-q", "--no-cache", "--profile", "extended"])
    captured = capsysbinary.readouterr()
    return code, captured.out.decode("utf-8")


def test_non_utf8_file_name_is_escaped_and_every_format_is_valid_utf8(
        tree: Path, cache_home: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    bad_name = os.fsencode(tree) + b"/\xff\xfe.py"
    with open(bad_name, "wb") as handle:
        handle.write(VULNERABLE.encode())
    bad_dir = os.fsencode(tree) + b"/d\xe9j\xe0"
    os.mkdir(bad_dir)
    with open(bad_dir + b"/ok.py", "wb") as handle:
        handle.write(b"x = 1\n")
    for fmt in ("sarif", "markdown", "html"):
        code, out = review_bytes(capsysbinary, tree, "-f", fmt)
        assert code == 0 and "xfe.py" in out
    code, out = review_bytes(capsysbinary, tree, "-f", "json")
    report = json.loads(out)
    assert any(f["location"]["path"] == "\\xff\\xfe.py" and f["concern"] == "command-injection"
               for f in report["findings"])
    named = {d["path"]: d["message"] for d in report["diagnostics"] if d["kind"] == "not-utf8"}
    assert "file name is not valid UTF-8" in named["\\xff\\xfe.py"]
    assert "d\\xe9j\\xe0" in named


def test_escape_codec_cookie_is_not_honoured_and_surrogates_never_escape() -> None:
    data = b'# coding: unicode_escape\nx = "\\ud800"  # \xff\n'
    text, diagnostic = decode_source("a.py", data)
    text.encode("utf-8")  # would raise on a lone surrogate
    assert diagnostic is not None and diagnostic.kind == "not-utf8"
    assert "\\ud800" in text  # the escape stays text, it is not decoded


def test_real_text_codec_cookie_is_honoured() -> None:
    text, diagnostic = decode_source("a.py", "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"))
    assert diagnostic is None and "café" in text


def test_decoded_lone_surrogates_are_repaired() -> None:
    data = b"# coding: utf-7\nx = '+2AA-' # \xff\n"  # UTF-7 can spell a lone surrogate
    text, diagnostic = decode_source("a.py", data)
    text.encode("utf-8")
    assert "\ufffd" in text
    assert diagnostic is not None and diagnostic.kind == "not-utf8" and diagnostic.line == 2


def test_escape_codec_file_through_the_cli(tree: Path, cache_home: Path,
                                          capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tree / "esc.py").write_bytes(b'# coding: unicode_escape\nx = "\\ud800\\udfff"  # \xff\n' + VULNERABLE.encode())
    for fmt in ("json", "markdown", "sarif", "html"):
        code, out = review_bytes(capsysbinary, tree, "-f", fmt)
        assert code == 0 and "esc.py" in out


@pytest.mark.parametrize("make_target", [
    lambda tmp: tmp,  # a directory
    lambda tmp: tmp / "missing" / "report.json",  # parent does not exist
    lambda tmp: Path("/dev/full"),  # the write itself fails (ENOSPC)
])
def test_unwritable_output_is_exit_2_one_line(tree: Path, tmp_path: Path, cache_home: Path, make_target,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    target = make_target(tmp_path)
    if target == Path("/dev/full") and not target.exists():
        pytest.skip("no /dev/full here")
    assert main(["review", str(tree), "--profile", "extended", "-o", str(target), "-q", "--fail-on", "low"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"servicelens: error: cannot write the report to {target}: ") and err.count("\n") == 1


def test_unwritable_output_fails_before_the_review(tree: Path, tmp_path: Path, cache_home: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import servicelens.api

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the review ran although the report could not be written")

    monkeypatch.setattr(servicelens.api, "review", must_not_run)
    assert main(["review", str(tree), "--profile", "extended", "-o", str(tmp_path / "nope" / "r.md")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unexpected_error_is_exit_2_never_1(tree: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import servicelens.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(servicelens.api, "review", broken)
    assert main(["review", str(tree), "--profile", "extended", "--fail-on", "low"]) == 2
    err = capsys.readouterr().err
    assert err == "servicelens: error: internal error: RuntimeError: boom second line\n"


def test_fail_on_still_exits_1_on_findings(tree: Path, cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(tree), "--profile", "extended", "--fail-on", "high", "-q", "-f", "json"]) == 1
    assert main(["review", str(tree), "--profile", "extended", "-q", "-f", "json"]) == 0
