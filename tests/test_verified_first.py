"""Work a handler does only after verifying the request's signed token (rules/python/_verified_first.py):
password hashing there is paid once per token the server issued, not once per attempt."""
from __future__ import annotations

from textwrap import dedent

from servicelens.lang.python import lower_module
from servicelens.rules.python._verified_first import first_verification
from servicelens.sources.parsing import ParserPool

_SOURCE = """
    import jwt
    from itsdangerous import URLSafeTimedSerializer

    from members.tokens import verify_reset_token


    async def reset(token, password, SECRET_KEY):
        payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
        return hash_password(password)


    async def reset_by_helper(token, password):
        await verify_reset_token(token)
        return hash_password(password)


    async def unsigned(token, password):
        payload = jwt.decode(token, options={"verify_signature": False})
        return hash_password(password)


    async def text_body(request, password):
        body = (await request.body()).decode("utf-8", "replace")
        return hash_password(password)


    async def verified_after(token, password, SECRET_KEY):
        hashed = hash_password(password)
        payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
        return hashed


    async def failure_swallowed(token, password, SECRET_KEY):
        try:
            payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            pass
        return hash_password(password)


    async def verified_on_one_branch(token, password, SECRET_KEY):
        if token:
            payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
        return hash_password(password)
    """


def _answers() -> dict[str, bool]:
    """Each function: is its `hash_password(...)` line after a verified token?"""
    source = dedent(_SOURCE).lstrip("\n")
    tree = ParserPool().parse("python", source.encode())
    module = lower_module(tree.root_node, "members/reset.py", tuple(source.splitlines()))
    found = {}
    for function in module.functions:
        line = next(i for i, text in enumerate(source.splitlines(), 1)
                    if function.line < i and "hash_password(" in text)
        first = first_verification(function)
        found[function.name] = first is not None and first < line
    return found


def test_a_hash_after_a_decoded_signed_token_is_bounded_per_token() -> None:
    found = _answers()
    assert found["reset"] and found["reset_by_helper"]


def test_a_decode_that_checks_no_signature_or_only_text_verifies_nothing() -> None:
    found = _answers()
    assert not found["unsigned"] and not found["text_body"] and not found["verified_after"]


def test_a_verification_whose_failure_is_swallowed_or_that_may_not_run_verifies_nothing() -> None:
    found = _answers()
    assert not found["failure_swallowed"] and not found["verified_on_one_branch"]
