"""What every hostile-input test starts from: a small service with one real defect, whose
finding must survive whatever hostile file is put next to it."""
from __future__ import annotations

from pathlib import Path

import pytest

VULNERABLE = ('from flask import Flask, request\napp = Flask(__name__)\n\n@app.route("/x")\n'
              'def x():\n    import os\n    os.system(request.args["c"])\n')

# a routed handler with a command injection, for tests that look for its finding by path
VULNERABLE_PY = '''from flask import Flask, request
import os

app = Flask(__name__)


@app.get("/run")
def run():
    os.system(request.args["cmd"])
    return "ok"
'''


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache directory, so no test reads or poisons another's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "vulnerable.py").write_text(VULNERABLE)
    return root
