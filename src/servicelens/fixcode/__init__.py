"""Fix code written from the finding's own code.

A reviewer does not paste a textbook example under a finding; they rewrite the line in
front of them. This package holds that knowledge as small pure functions from the
finding's code (a statement, a route, a manifest entry) to the fixed code:

    source.py        the reviewed statement without its comments, parsed, spliceable; keywords added
    sql.py           SQL text made constant, values bound as parameters
    injection.py     one rewriter per taint concern (command, path, redirect, XSS ...)
    routes.py        a handler's own route with the auth, role, rate-limit or CSRF change made
    crypto.py        a cipher call rewritten: AES-GCM, a fresh IV, a longer RSA key, a key from outside
    tls.py           a TLS-disabling statement with verification back on
    binding.py       request data bound onto a model, narrowed to an allow-list
    exposure.py      whole objects sent to clients, narrowed to public fields
    errors.py        error responses without the exception text
    secrets_env.py   secret literals read from the environment
    endpoints.py     hard-coded endpoints read from the environment
    retry.py         retries bounded, backed off, idempotent
    breaker.py       a dependency call made through a circuit breaker
    caching.py       cache writes with a TTL, refills under a single-flight lock
    shared_state.py  module-level state mutations as one Redis command
    paging.py        queries given a bounded page in their own ORM
    body_limits.py   request bodies, uploads and batch lists given a limit
    settings.py      a settings list with the missing entry where it belongs
    manifests.py     manifest blocks placed under the container, service or line they belong to

A rewriter returns None when it cannot say something specific about this code; the
caller then shows the description alone rather than code from another context.
"""
from servicelens.fixcode.source import code_lines, parses, strip_comment

__all__ = ["code_lines", "parses", "strip_comment"]
