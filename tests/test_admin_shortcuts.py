"""A role test makes a handler admin-only only where a branch of it turns the caller away
(`if not user.is_superuser: raise HTTPException(403)`). `if user.is_superuser: <everything>
else: <the caller's own>` is a shortcut for admins inside a handler every signed-in caller may call:
findings there are the signed-in callers' (not held back as an admin's), and the lookup on the
admin's branch is not an object-authorization flaw, while one on the other branch still is."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.python import lower_module
from servicelens.rules.python import _access as access
from servicelens.sources.parsing import ParserPool

_GUARDED = """
    def list_items(current_user, session):
        if not current_user.is_superuser:
            raise HTTPException(status_code=403, detail="Not enough privileges")
        return session.exec(select(Item)).all()
    """

_SHORTCUT = """
    def list_items(current_user, session):
        if current_user.is_superuser:
            statement = select(Item)
        else:
            statement = select(Item).where(Item.owner_id == current_user.id)
        return session.exec(statement).all()
    """

_REDIRECTED = """
    def console(request):
        if not request.user.is_staff:
            return redirect("/login")
        return render(request, "console.html")
    """


def _function(source: str):
    text = dedent(source)
    module = lower_module(ParserPool().parse("python", text.encode()).root_node, "views.py", tuple(text.splitlines()))
    return module, module.functions[0]


def test_a_role_test_that_refuses_makes_the_handler_admin_only() -> None:
    for source in (_GUARDED, _REDIRECTED):
        module, function = _function(source)
        assert access.is_admin_only(function, None, module)


def test_an_admin_shortcut_does_not_make_the_handler_admin_only() -> None:
    module, function = _function(_SHORTCUT)
    assert not access.is_admin_only(function, None, module)


def test_the_admin_branch_is_known_statement_by_statement() -> None:
    module, function = _function(_SHORTCUT)
    branch = access.admin_branch_statements(function)
    [test] = [s for s in function.body if hasattr(s, "test")]
    assert {id(s) for s in test.body} <= branch and not {id(s) for s in test.orelse} & branch


_TOKENS = """
    from flask import Flask, session
    from flask_login import login_required

    from models import Tokens

    app = Flask(__name__)


    def is_admin():
        return session.get("role") == "admin"


    @app.get("/tokens/<int:token_id>")
    @login_required
    def get_token(token_id):
        if is_admin():
            token = Tokens.query.filter_by(id=token_id).first_or_404()
        else:
            token = Tokens.query.filter_by(id=token_id, user_id=session["id"]).first_or_404()
        return {"value": token.value}


    @app.delete("/tokens/<int:token_id>")
    @login_required
    def delete_token(token_id):
        if is_admin():
            token = Tokens.query.filter_by(id=token_id).first_or_404()
        else:
            token = Tokens.query.filter_by(id=token_id).first_or_404()
        token.delete()
        return {"deleted": token_id}
    """

_MODELS = """
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Tokens(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
        value = db.Column(db.String(64))
    """


def test_only_the_non_admin_branch_of_a_shortcut_is_judged_for_ownership(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(dedent(_TOKENS), encoding="utf-8")
    (tmp_path / "models.py").write_text(dedent(_MODELS), encoding="utf-8")
    report = review(tmp_path, Settings(select=frozenset({"broken-object-authorization"}), use_cache=False,
                                       profile="extended"))
    lines = sorted(f.location.start_line for f in report.findings if f.concern == "broken-object-authorization")
    # get_token scopes the non-admin lookup to the caller; delete_token's non-admin lookup does not
    file_lines = dedent(_TOKENS).splitlines()
    unscoped = [n for n, line in enumerate(file_lines, 1) if line.strip() == "token = Tokens.query.filter_by(id=token_id).first_or_404()"]
    assert lines == [unscoped[-1]]  # delete_token's `else:` lookup; the two admin branches are not reported
