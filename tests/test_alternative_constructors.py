"""A service built by an alternative constructor (`ReportService.for_app(app)`, a classmethod
returning `cls(...)`) is an instance of its class: a call on it lands in that class's method, for
the taint engine and the call graph. And a class with no base that a package re-exports
(`from shop.stores import Ledger`, defined in `shop/stores/ledger.py`) finds its methods there."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings

_STORES = '''
class Ledger:
    def __init__(self, db) -> None:
        self.db = db

    def search(self, memo, sort):
        return self.db.execute(f"SELECT id FROM ledger WHERE memo = %s ORDER BY {sort}", (memo,)).fetchall()


class Journal:
    def __init__(self, db) -> None:
        self.db = db

    def search(self, memo, sort):
        column = {"date": "booked_on", "amount": "amount"}.get(sort, "booked_on")
        return self.db.execute(f"SELECT id FROM journal WHERE memo = %s ORDER BY {column}", (memo,)).fetchall()
'''

_SERVICES = '''
from shop.stores import Journal, Ledger


class Books:
    def __init__(self, ledger: Ledger, journal: Journal) -> None:
        self.ledger = ledger
        self.journal = journal

    @classmethod
    def for_app(cls, app) -> "Books":
        return cls(Ledger(app.config["DB"]), Journal(app.config["DB"]))

    @classmethod
    def journal_of(cls, app) -> Journal:
        return Journal(app.config["DB"])

    def ledger_search(self, memo, sort):
        return self.ledger.search(memo, sort)

    def journal_search(self, memo, sort):
        return self.journal.search(memo, sort)
'''

_VIEWS = '''
from flask import Blueprint, current_app, jsonify, request

from shop.services import Books

bp = Blueprint("books", __name__)


@bp.get("/ledger")
def ledger():
    books = Books.for_app(current_app)
    return jsonify(rows=books.ledger_search(request.args["memo"], request.args.get("sort", "id")))


@bp.get("/journal")
def journal():
    books = Books.for_app(current_app)
    return jsonify(rows=books.journal_search(request.args["memo"], request.args.get("sort", "date")))


@bp.get("/journal/direct")
def journal_direct():
    return jsonify(rows=Books.journal_of(current_app).search(request.args["memo"], request.args.get("sort", "date")))
'''


def _project(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _sites(root: Path, concern: str) -> set[tuple[str, int]]:
    report = review(root, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return {(f.location.path, f.location.start_line) for f in report.findings if f.concern == concern}


def _shop(root: Path, stores: dict[str, str]) -> Path:
    return _project(root, {"shop/__init__.py": "", "shop/services.py": _SERVICES, "shop/views.py": _VIEWS, **stores})


def test_a_service_built_by_its_classmethod_reaches_the_sql_of_its_member(tmp_path: Path) -> None:
    root = _shop(tmp_path, {"shop/stores.py": _STORES})
    # Ledger.search pastes the client's sort; Journal.search maps it onto its own columns
    assert _sites(root, "sql-injection") == {("shop/stores.py", 7)}


def test_a_base_less_class_re_exported_by_its_package_finds_its_methods(tmp_path: Path) -> None:
    root = _shop(tmp_path, {"shop/stores/__init__.py": "from .ledger import Journal, Ledger\n",
                            "shop/stores/ledger.py": _STORES})
    assert _sites(root, "sql-injection") == {("shop/stores/ledger.py", 7)}


_CLASSMETHOD_HELPER = '''
from flask import Blueprint, request


class Exporter:
    def __init__(self, fmt) -> None:
        self.fmt = fmt

    @classmethod
    def parse(cls, text):
        return text.strip()

    @classmethod
    def for_request(cls, req):
        return cls(req.args.get("fmt", "csv"))

    def run(self, name):
        import subprocess
        return subprocess.run(f"export --format csv {name}", shell=True)


bp = Blueprint("export", __name__)


@bp.post("/export")
def export():
    exporter = Exporter.for_request(request)
    return {"code": exporter.run(Exporter.parse(request.form["name"])).returncode}


@bp.post("/export/fixed")
def export_fixed():
    exporter = Exporter.for_request(request)
    return {"code": exporter.run("nightly").returncode}
'''


def test_a_method_of_the_instance_a_classmethod_builds_is_followed(tmp_path: Path) -> None:
    root = _project(tmp_path, {"app/__init__.py": "", "app/export.py": _CLASSMETHOD_HELPER})
    # the route handing the client's name reaches the shell; the one with a constant name does not
    # add a second site, and `cls.parse` (no instance built) passes its argument through as before
    assert _sites(root, "command-injection") == {("app/export.py", 19)}
