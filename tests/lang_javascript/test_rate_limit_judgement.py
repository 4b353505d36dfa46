"""A middleware that answers 429 and refuses nobody else is a rate limiter: whatever it reads of the
caller keys a limit (frameworks/express_auth.py `_limits_rate`). One that also lets a verifier's
failure end the request still turns away the unknown caller: a guard that limits too."""
from __future__ import annotations

from servicelens.frameworks.express_auth import family_of, judge
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.endpoints.principals import GUARD, INERT
from tests.lang_javascript.lowering_helpers import lower

SOURCE = """
const counts = new Map();

export function throttle(req, res, next) {
  const key = req.session.account || req.ip;
  const seen = (counts.get(key) || 0) + 1;
  counts.set(key, seen);
  if (seen > 100) return next(Object.assign(new Error('slow down'), { status: 429 }));
  next();
}

export function signedAndLimited(req, res, next) {
  const claims = jwt.verify(req.headers.authorization, process.env.KEY);
  const seen = (counts.get(claims.sub) || 0) + 1;
  counts.set(claims.sub, seen);
  if (seen > 100) return res.status(429).end();
  req.user = claims;
  next();
}
"""


def _verdict(name: str) -> str:
    module = lower(SOURCE, "src/mw.js")
    function = next(f for f in module.functions if f.qualname == name)
    return judge(family_of(function, module.functions), middleware_knowledge()).verdict


def test_a_limiter_keyed_by_the_caller_checks_nobody() -> None:
    assert _verdict("throttle") == INERT


def test_a_limiter_whose_token_verifier_may_fail_the_request_is_a_guard() -> None:
    assert _verdict("signedAndLimited") == GUARD
