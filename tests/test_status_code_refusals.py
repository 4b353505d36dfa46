"""A hook that turns the caller away by building a response and setting its status
(`response.status_code = 401; return response`, the Flask `make_response` idiom) refuses the
request as surely as `abort(401)`: every route it covers requires a signed-in caller. The same
shape with a success status, or a refusal built and never returned, refuses nothing."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings

_APP = """
    from flask import Flask, make_response, request, session

    app = Flask(__name__)


    @app.before_request
    def require_sign_in():
        if "username" not in session:
            response = make_response({{"message": "Unauthorized access."}})
            response.status_code = {status}
            {ending}


    @app.get("/api/peers")
    def peers():
        return {{"peers": []}}
    """


def _auth_of_peers(tmp_path: Path, status: str, ending: str) -> str:
    (tmp_path / "app.py").write_text(dedent(_APP.format(status=status, ending=ending)), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    [endpoint] = [e for s in report.overview.services for e in s.endpoints if e.path == "/api/peers"]
    return endpoint.auth


def test_a_response_given_a_401_status_and_returned_refuses_the_caller(tmp_path: Path) -> None:
    assert _auth_of_peers(tmp_path, "401", "return response") == "required"


@pytest.mark.parametrize(("status", "ending"), [
    ("200", "return response"),  # a success status: the hook lets the request on
    ("401", "print(response)"),  # built but never returned: the view still runs
])
def test_a_response_that_does_not_say_no_refuses_nothing(tmp_path: Path, status: str, ending: str) -> None:
    assert _auth_of_peers(tmp_path, status, ending) != "required"
