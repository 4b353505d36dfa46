"""What a credential literal looks like: provider token shapes, connection URLs with an
inline password, and the placeholders that only look like secrets.

Shared by the hard-coded secret and JWT rules; pure functions over strings.
"""
from __future__ import annotations

import math
import re
from collections import Counter

# Provider formats whose prefix alone proves the literal is a live credential.
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY")),
    ("Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{60,})")),
    ("Stripe secret key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("SendGrid API key", re.compile(r"\bSG\.[0-9A-Za-z_\-]{22}\.[0-9A-Za-z_\-]{43}\b")),
    ("Twilio API key", re.compile(r"\bSK[0-9a-f]{32}\b")),
)
_URL_PASSWORD = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.\-]*)://(?P<user>[^:/@\s]*):(?P<pw>[^@/\s]+)@(?P<host>[^:/?\s]+)",
                           re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"(?i)^(|x+|\*+|\.+|-+|none|null|nil|todo|tbd|fixme|changeme|change[_\-. ]?me|change[_\-. ]?this.*|"
    r"secret|password|passwd|pass|pwd|token|key|api[_\-]?key|test|testing|tests|dummy|fake|example|sample|"
    r"default|placeholder|redacted|hidden|notsecret|not[_\-]?a[_\-]?secret|insecure|admin|root|user|guest|"
    r"postgres|mysql|redis|rabbitmq|guest|foo|bar|baz|qwerty|letmein|12345678?|123456789|password1?2?3?)$")
_PLACEHOLDER_PARTS = re.compile(
    r"(?i)(<[^>]*>|\{\{?[^}]*\}\}?|\$\{[^}]*\}|%\([^)]*\)s|%s|your[_\-. ]|change[_\-. ]?me|replace[_\-. ]?me|"
    r"example|sample|dummy|placeholder|xxxx|\*\*\*\*|fake|not[_\-. ]?(a[_\-. ]?)?(real|secret)|insert[_\-. ]|"
    r"put[_\-. ]your|enter[_\-. ]|todo|\.\.\.)")
# what sets a placeholder word off from text around it: `[REDACTED]`, `(hidden)`, `__token__`
_MARKS = "[](){}*_#- "
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "db", "postgres", "postgresql",
                          "mysql", "redis", "rabbitmq", "mongo", "mongodb", "database", "host", "hostname"})


# a piece of text every one of `_SHAPES` contains: one search rules out nearly every literal
# of a file (each is tried here) instead of eight
_SHAPE_HINT = re.compile(r"AKIA|ASIA|-----BEGIN |xox|gh[pousr]_|github_pat_|k_live_|AIza|SG\.|SK")


def provider_shape(value: str) -> str | None:
    """The provider whose token format `value` contains, if any."""
    if _SHAPE_HINT.search(value) is None:
        return None
    for label, pattern in _SHAPES:
        if pattern.search(value) and not _PLACEHOLDER_PARTS.search(value):
            return label
    return None


def url_password(value: str) -> str | None:
    """The inline password of `scheme://user:password@host`, unless it is a placeholder or the
    host is a local/compose service (dev defaults such as `postgres:postgres@db`)."""
    if "://" not in value:
        return None  # the pattern needs it; most literals are not URLs
    match = _URL_PASSWORD.match(value.strip())
    if match is None:
        return None
    password, host = match.group("pw"), match.group("host").lower()
    if host in _LOCAL_HOSTS or host.endswith((".local", ".localhost", ".example", ".test", "example.com")):
        return None
    if is_placeholder(password) or password == match.group("user"):
        return None
    return password


def is_placeholder(value: str) -> bool:
    """`changeme`, `<your-key>`, and a placeholder word set off by brackets or marks (`[REDACTED]`,
    `(hidden)`, `**secret**`), as masking code writes it in place of the value."""
    stripped = value.strip()
    return bool(_PLACEHOLDER.match(stripped) or _PLACEHOLDER.match(stripped.strip(_MARKS))
                or _PLACEHOLDER_PARTS.search(stripped))


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_like_secret(value: str) -> bool:
    """A literal that could be a real credential rather than a word, a field name, a message or
    a reference: at least 8 characters, no spaces, not a placeholder, and either mixed
    character classes or high entropy."""
    if len(value) < 8 or len(value) > 4096 or any(c.isspace() for c in value.strip()):
        return False
    if is_placeholder(value) or value.startswith(("/", "http://", "https://", "./", "$", "%")):
        return False
    if re.fullmatch(r"[a-z]+(?:[_.\-][a-z]+)+", value) or re.fullmatch(r"[A-Z]+(?:_[A-Z]+)*", value):
        return False  # `access_token`, `user.password`, `X-API-KEY`-like identifiers
    if re.fullmatch(r"[\w.\-]+\.(?:pem|key|crt|json|txt|env|cfg|ini|yaml|yml)", value):
        return False  # a file name
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    if classes >= 2:
        return entropy(value) >= 2.5
    return len(value) >= 10 and entropy(value) >= 3.0
