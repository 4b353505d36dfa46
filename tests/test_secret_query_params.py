"""py-secret-query-params (extended profile): a password-named scalar of a FastAPI write route that is not a path
placeholder is read from the query string. Only the parameter's own placeholder (`{password}`,
`{password:path}`) puts it in the path; a longer placeholder that merely starts with its name
(`{password_id}`) belongs to another parameter."""
from __future__ import annotations

from servicelens.api import review_source
from servicelens.config.settings import Settings

_ROUTES = '''
from fastapi import APIRouter

router = APIRouter()


@router.post("/vault/{password_id}/rotate")
async def rotate_secret(password_id: int, password: str):
    return {"id": password_id, "length": len(password)}


@router.post("/vault/{password}/open")
async def open_vault(password: str):
    return {"length": len(password)}


@router.post("/vault/{password:path}/seal")
async def seal_vault(password: str):
    return {"length": len(password)}
'''


def _flagged_lines() -> set[int]:
    report = review_source({"vault/__init__.py": "", "vault/routes.py": _ROUTES}, Settings(use_cache=False, profile="extended"))
    return {f.location.start_line for f in report.findings if f.rule == "py-secret-query-params"}


def test_a_placeholder_starting_with_the_name_leaves_the_password_in_the_query_string() -> None:
    assert 8 in _flagged_lines()  # password of rotate_secret; {password_id} is the other parameter


def test_the_parameters_own_placeholder_takes_it_from_the_path() -> None:
    assert not _flagged_lines() & {13, 18}  # {password} and {password:path}
