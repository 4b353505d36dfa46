"""A hook that hands the request (or its headers) to a project verifier and answers 401/403 when
that call fails guards, whatever the verifier is called (frameworks/handed_verifiers.py,
frameworks/express_auth.py); look-alikes whose refusal is not tied to the call, or is no 401/403,
keep their verdict."""
from __future__ import annotations

from servicelens.endpoints.principals import GUARD
from servicelens.frameworks.express_auth import family_of, judge
from servicelens.frameworks.express_knowledge import middleware_knowledge
from tests.lang_javascript.lowering_helpers import function, lower


def _judged(source: str, name: str):  # type: ignore[no-untyped-def]
    module = lower(source, "hooks.ts")
    return judge(family_of(function(module, name), module.functions), middleware_knowledge())


THROWING = """import { validateExportRequest } from '@/utils/auth';
export async function exportHook(req, reply) {
  try {
    const client = await validateExportRequest(req.headers);
    req.client = client;
  } catch (e) {
    return reply.status(401).send({ error: 'Unauthorized' });
  }
}
"""


def test_headers_handed_to_a_verifier_whose_throw_answers_401_guard() -> None:
    judged = _judged(THROWING, "exportHook")
    assert judged.verdict == GUARD and "validateExportRequest()" in judged.evidence


def test_the_request_handed_to_a_verifier_whose_false_answers_403_guards() -> None:
    source = """import { checkKey } from './keys';
export async function keyHook(req, res, next) {
  const ok = await checkKey(req);
  if (!ok) return res.status(403).end();
  next();
}
"""
    assert _judged(source, "keyHook").verdict == GUARD


def test_a_verifier_whose_failure_answers_500_is_no_guard() -> None:
    assert _judged(THROWING.replace("status(401)", "status(500)"), "exportHook").verdict != GUARD


def test_a_call_given_something_else_than_the_request_is_no_guard() -> None:
    source = THROWING.replace("validateExportRequest(req.headers)", "validateExportRequest(req.body.name)")
    assert _judged(source, "exportHook").verdict != GUARD


def test_a_log_line_given_the_headers_is_no_verifier() -> None:
    source = THROWING.replace("const client = await validateExportRequest(req.headers);",
                              "const client = logger.info(req.headers);")
    assert _judged(source, "exportHook").verdict != GUARD


def test_a_401_in_a_branch_not_testing_the_call_is_no_guard_by_this_rule() -> None:
    source = """import { loadClient } from './clients';
export async function clientHook(req, res, next) {
  const client = await loadClient(req);
  const shutdown = process.env.SHUTDOWN;
  if (!shutdown) return next();
  return res.status(401).end();
}
"""
    assert _judged(source, "clientHook").verdict != GUARD


ASSERTED = """import { extractBearerTokenFromHeaders } from './utils';
export default function koaOidcAuth(tenant) {
  const authMiddleware = async (ctx, next) => {
    const { request } = ctx;
    const accessTokenValue = extractBearerTokenFromHeaders(request.headers);
    const accessToken = await tenant.provider.AccessToken.find(accessTokenValue);
    assertThat(accessToken, new RequestError({ code: 'auth.unauthorized', status: 401 }));
    ctx.auth = { id: accessToken.accountId };
    return next();
  };
  return authMiddleware;
}
"""


def test_an_assertion_of_what_the_handed_headers_yield_with_a_401_error_guards() -> None:
    judged = _judged(ASSERTED, "koaOidcAuth")
    assert judged.verdict == GUARD and "extractBearerTokenFromHeaders()" in judged.evidence


def test_an_assertion_of_something_else_with_a_401_error_is_not_tied_to_the_handed_call() -> None:
    source = ASSERTED.replace("assertThat(accessToken,", "assertThat(tenant.enabled,")
    assert _judged(source, "koaOidcAuth").verdict != GUARD


def test_an_assertion_of_what_the_headers_yield_with_a_400_error_is_no_guard() -> None:
    assert _judged(ASSERTED.replace("status: 401", "status: 400"), "koaOidcAuth").verdict != GUARD
