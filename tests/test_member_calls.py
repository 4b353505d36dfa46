"""Calls through a member of an injected object (`books.archive.search(q)` where `books` is a
`Bookkeeping` whose `__init__` keeps `archive: EntryArchive`): the call lands in the method of the
class the member is declared to hold, for the taint engine and for the rules that follow helpers,
and never in a method of the same name on another class."""
from __future__ import annotations

from pathlib import Path

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.analysis.python_file import lower_python
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, class_bases
from servicelens.sources.parsing import ParserPool
from servicelens.taint.declared import member_classes
from servicelens.taint.models import load_models
from servicelens.taint.scope import ModuleScope

_STORE = '''
from sqlalchemy import text

from ledger.models import Entry


class EntryArchive:
    def __init__(self, session) -> None:
        self.session = session

    def search(self, term):
        return self.session.execute(text(f"SELECT * FROM entries WHERE memo LIKE '%{term}%'")).all()

    def entries_for(self, account_id):
        return self.session.query(Entry).filter(Entry.account_id == account_id).order_by(Entry.booked_at).all()


class AuditTrail:
    def __init__(self, session) -> None:
        self.session = session

    def search(self, term):
        return self.session.execute(text("SELECT * FROM audit WHERE memo LIKE :t"), {"t": f"%{term}%"}).all()

    def entries_for(self, account_id, limit: int = 50):
        return self.session.query(Entry).filter(Entry.account_id == account_id).limit(limit).all()
'''

_SERVICES = '''
from ledger.store import AuditTrail, EntryArchive


class Bookkeeping:
    def __init__(self, archive: EntryArchive, trail: AuditTrail, label: str = "") -> None:
        self.archive = archive
        self.trail = trail
        self.label = label
'''

_MODELS = '''
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)


class Entry(Base):
    __tablename__ = "entries"
    id = Column(Integer, primary_key=True)
    account_id = Column(Integer, ForeignKey("accounts.id"), index=True)
    memo = Column(String(200))
    booked_at = Column(DateTime)
'''

_FLASK_VIEWS = '''
from flask import Blueprint, jsonify, request

from ledger.db import session
from ledger.services import Bookkeeping
from ledger.store import AuditTrail, EntryArchive

bp = Blueprint("ledger", __name__)


@bp.get("/entries/search")
def search_entries():
    books = Bookkeeping(EntryArchive(session), AuditTrail(session))
    return jsonify(rows=[dict(r) for r in books.archive.search(request.args["q"])])


@bp.get("/audit/search")
def search_audit():
    books = Bookkeeping(EntryArchive(session), AuditTrail(session))
    return jsonify(rows=[dict(r) for r in books.trail.search(request.args["q"])])
'''

_FASTAPI_ROUTES = '''
from fastapi import APIRouter, Depends

from ledger.auth import signed_in
from ledger.deps import bookkeeping
from ledger.services import Bookkeeping

router = APIRouter(dependencies=[Depends(signed_in)])


@router.get("/accounts/{account_id}/entries")
def account_entries(account_id: int, books: Bookkeeping = Depends(bookkeeping)):
    return books.archive.entries_for(account_id)


@router.get("/accounts/{account_id}/audit")
def account_audit(account_id: int, books: Bookkeeping = Depends(bookkeeping)):
    return books.trail.entries_for(account_id)
'''

_DEPS = '''
from ledger.services import Bookkeeping
from ledger.store import AuditTrail, EntryArchive


def bookkeeping() -> Bookkeeping:
    return Bookkeeping(EntryArchive(None), AuditTrail(None))
'''

_AUTH = '''
from fastapi import Header, HTTPException


def signed_in(authorization: str = Header(...)):
    if not authorization.startswith("Bearer "):
        raise HTTPException(401)
    return authorization[7:]
'''


def _project(root: Path, views: str, extra: dict[str, str]) -> Path:
    files = {"ledger/__init__.py": "", "ledger/store.py": _STORE, "ledger/services.py": _SERVICES,
             "ledger/models.py": _MODELS, "ledger/db.py": "session = None\n", **extra, "ledger/views.py": views}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _sites(root: Path, concern: str) -> set[tuple[str, int]]:
    report = review(root, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return {(f.location.path, f.location.start_line) for f in report.findings if f.concern == concern}


def test_members_are_filed_under_their_class_with_the_class_they_hold() -> None:
    module, scope = _lowered("ledger/services.py", _SERVICES)
    assert set(member_classes(scope)) == {("ledger.services.Bookkeeping.archive", "ledger.store.EntryArchive"),
                                          ("ledger.services.Bookkeeping.trail", "ledger.store.AuditTrail")}
    assert ("ledger.services.Bookkeeping.archive", ("ledger.store.EntryArchive",)) in class_bases(module, scope)


def test_a_call_through_a_declared_member_names_the_member_under_its_owner() -> None:
    module, scope = _lowered("ledger/views.py", _FASTAPI_ROUTES)
    handler = next(f for f in module.functions if f.name == "account_entries")
    call = next(c for c in _calls(module, scope, handler) if getattr(c.func, "attr", "") == "entries_for")
    candidate, offset = callee_name(call, scope, handler) or ("", 0)
    assert (candidate, offset) == ("ledger.services.Bookkeeping.archive.entries_for", 1)
    index = CalleeIndex([("ledger.store.EntryArchive.entries_for", "archive"),
                         ("ledger.store.AuditTrail.entries_for", "trail")],
                        {"ledger.services.Bookkeeping.archive": ("ledger.store.EntryArchive",),
                         "ledger.services.Bookkeeping.trail": ("ledger.store.AuditTrail",)})
    assert index.get(candidate) == "archive"
    assert index.get("ledger.services.Bookkeeping.label.entries_for") is None


def test_request_data_reaches_the_sql_of_the_member_class_only(tmp_path: Path) -> None:
    root = _project(tmp_path, _FLASK_VIEWS, {})
    assert _sites(root, "sql-injection") == {("ledger/store.py", 12)}  # EntryArchive.search, not AuditTrail's


def test_a_member_helper_returning_every_row_is_reported_at_its_query(tmp_path: Path) -> None:
    root = _project(tmp_path, _FASTAPI_ROUTES, {"ledger/deps.py": _DEPS, "ledger/auth.py": _AUTH})
    # EntryArchive.entries_for (an account's whole history); AuditTrail's takes a limit
    assert _sites(root, "unbounded-query") == {("ledger/store.py", 15)}


def _lowered(rel: str, text: str) -> tuple[ir.Module, ModuleScope]:
    lowered = lower_python(rel, text, tuple(text.splitlines()), ParserPool(), load_models("python"), frozenset())
    return lowered.module, lowered.scope


def _calls(module: ir.Module, scope: ModuleScope, function: ir.Function) -> list[ir.Call]:
    return list(file_index(module, scope).block_of_kind(function.body, ir.Call))
