"""The closed vocabulary of source and sink kinds the models may use."""
from __future__ import annotations

SOURCE_KINDS = frozenset({"remote-input", "weak-random"})

SINK_KINDS = frozenset({
    "sql-injection", "nosql-injection", "command-injection", "code-injection",
    "template-injection", "path-traversal", "ssrf", "xss", "open-redirect",
    "ldap-injection", "xpath-injection", "xxe", "insecure-deserialization",
    "header-injection", "trust-boundary", "redos", "weak-random",
})

# Which source kinds each sink cares about.
SINK_ACCEPTS = {kind: frozenset({"remote-input"}) for kind in SINK_KINDS}
SINK_ACCEPTS["weak-random"] = frozenset({"weak-random"})

PREDICATES = frozenset({
    "process-command", "url-host", "client-url", "redirect-target", "html-body", "sql-text", "sql-fragment",
    "unsafe-yaml-loader", "unsafe-xml-parser", "ldap-filter", "nosql-query",
    "log-message", "torch-unsafe", "not-file-object", "without-root-option",
    "mongo-query", "sql-client-text", "xml-entities-option", "location-header", "html-mail-part",
})
