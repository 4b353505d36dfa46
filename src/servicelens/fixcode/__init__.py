"""Fix code written from the finding's own code.

A reviewer does not paste a textbook example under a finding; they rewrite the line in
front of them. This package holds that knowledge as small pure functions from the
finding's code (a statement, a route, a manifest entry) to the fixed code:

    source.py     the reviewed statement without its comments, parsed, spliceable
    sql.py        SQL text made constant, values bound as parameters
    injection.py  one rewriter per taint concern (command, path, redirect, XSS ...)
    routes.py     a handler's own route with the auth, role, rate-limit or CSRF change made
    crypto.py     a cipher call rewritten: AES-GCM, a fresh IV, a longer RSA key, a key from outside
    manifests.py  manifest blocks placed under the container or service they belong to

A rewriter returns None when it cannot say something specific about this code; the
caller then shows the description alone rather than code from another context.
"""
from servicelens.fixcode.source import code_lines, parses, strip_comment

__all__ = ["code_lines", "parses", "strip_comment"]
