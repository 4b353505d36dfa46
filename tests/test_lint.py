"""Pyflakes-level checks (undefined names, unused imports) over our own code: cheap insurance
against a rule that only crashes on the one file that reaches a rare branch."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_no_pyflakes_errors_in_the_package() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (it comes with the test extras)")
    result = subprocess.run([ruff, "check", "--select", "F", "--no-cache", "--quiet", str(ROOT / "src")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
