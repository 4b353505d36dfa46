"""rules/python/_common.words: memoised, yet every caller gets a list of its own."""
from __future__ import annotations

from servicelens.rules.python._common import words


def test_splits_names_in_every_case_style() -> None:
    assert words("awsSecretAccessKey") == ["aws", "secret", "access", "key"]
    assert words("AWS_SECRET_ACCESS_KEY") == ["aws", "secret", "access", "key"]
    assert words("get_object_or_404") == ["get", "object", "or", "404"]
    assert words("__init__") == ["init"]
    assert words("_") == []


def test_a_caller_changing_its_list_changes_no_other_answer() -> None:
    first = words("resetPasswordToken")
    first.pop()
    first.append("x")
    assert words("resetPasswordToken") == ["reset", "password", "token"]
    assert words("resetPasswordToken") is not words("resetPasswordToken")
