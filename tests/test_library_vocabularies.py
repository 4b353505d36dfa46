"""Library knowledge kept as data (models/vocabulary/credential_endpoints.yaml, secret_checks.yaml):
each file loads into its rule's facts, and a misspelt or missing section is an error, not knowledge
silently dropped."""
from __future__ import annotations

import pytest

from servicelens.rules.python import _purpose
from servicelens.rules.python._credential_endpoints import credential_endpoints
from servicelens.rules.python._secret_checks import secret_checks


def test_credential_endpoints_hold_the_library_views_calls_and_mailers() -> None:
    library = credential_endpoints()
    assert {"ObtainAuthToken", "TokenObtainPairView", "LoginView", "KnoxLoginView"} <= library.login_view_bases
    assert "PasswordResetView" not in library.login_view_bases  # mails a link to the account's own address
    assert library.checks_credential("checkpw") and library.checks_credential("Check_Password_Hash")
    assert not library.checks_credential("check_passwords_match")
    assert library.sends_mail("send_mail") and library.sends_mail("send_verification_email")
    assert not library.sends_mail("sender") and not library.sends_mail("resend_mail")


def test_secret_checks_hold_the_session_modules_accessors_and_signed_checks() -> None:
    checks = secret_checks()
    assert "flask.session" in checks.caller_session_modules
    assert checks.secret_accessors == frozenset({"get_secret_value"})
    assert {"unsign", "verify_signature", "check_token"} <= checks.signed_checks


@pytest.mark.parametrize("data", [{"login_view_bases": [], "credential_calls": [], "mail_calls": [],
                                   "mail_call_prefixes": [], "login_views": []},
                                  {"login_view_bases": [], "credential_calls": [], "mail_calls": []}])
def test_an_unknown_or_missing_section_is_an_error(monkeypatch: pytest.MonkeyPatch, data: dict) -> None:
    monkeypatch.setattr(_purpose, "vocabulary_file", lambda name: data)
    with pytest.raises(ValueError, match="credential_endpoints.yaml"):
        _purpose.checked_vocabulary("credential_endpoints.yaml", frozenset(
            {"login_view_bases", "credential_calls", "mail_calls", "mail_call_prefixes"}))
