"""A directory named `env` is a virtualenv only when it carries one's marker (pyvenv.cfg, an
activate script); otherwise it is the project's per-environment configuration and is reviewed."""
from __future__ import annotations

from pathlib import Path

from servicelens.config.settings import Settings
from servicelens.sources.discovery import discover


def _reviewed(root: Path) -> set[str]:
    return {f.rel for f in discover(root, Settings(use_cache=False)).files}


def test_config_env_directory_is_reviewed(tmp_path: Path) -> None:
    (tmp_path / "config" / "env").mkdir(parents=True)
    (tmp_path / "config" / "env" / "production.js").write_text("module.exports = { port: 80 };\n")
    assert "config/env/production.js" in _reviewed(tmp_path)


def test_virtualenv_named_env_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "env" / "lib").mkdir(parents=True)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "env" / "lib" / "site.py").write_text("x = 1\n")
    (tmp_path / "app.py").write_text("x = 1\n")
    assert _reviewed(tmp_path) == {"app.py"}


def test_old_style_virtualenv_with_activate_script_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "env" / "bin").mkdir(parents=True)
    (tmp_path / "env" / "bin" / "activate").write_text("# activate\n")
    (tmp_path / "env" / "bin" / "tool.py").write_text("x = 1\n")
    assert "env/bin/tool.py" not in _reviewed(tmp_path)
