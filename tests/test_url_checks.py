"""taint.url_checks: a predicate's body says whether it keeps a URL on this site, wherever it is defined."""
from __future__ import annotations

from servicelens.taint.url_checks import LOOSE, STRICT, body_verdict, same_site_entries, same_site_verdicts

_SOURCE = '''
from urllib.parse import urlparse


def only_counts_slashes(url):
    return url.startswith("/") and not url.startswith("//")


def folds_backslashes(url):
    return not urlparse(url.replace("\\\\", "/")).netloc


def escapes_a_class(url):
    return re.match("^/[^/]\\\\S*$", url) is not None


class Links:
    @staticmethod
    def delegates(url, hosts):
        return url_has_allowed_host_and_scheme(url, allowed_hosts=hosts)

    def render(self, url):
        def inner(u):
            return u.startswith("/")
        return inner(url)


def formats_a_price(amount):
    return f"{amount:.2f}"
'''


def test_body_verdicts() -> None:
    assert body_verdict('def f(u):\n    return u.startswith("/") and not u.startswith("//")') == LOOSE
    assert body_verdict('def f(u):\n    return "\\\\" not in u and u.startswith("/")') == STRICT
    assert body_verdict("function f(u) { return u.startsWith('/') && !u.startsWith('//'); }") == LOOSE
    assert body_verdict("function f(u) { return new URL(u, base).origin === base.origin; }") == LOOSE
    assert body_verdict("def f(u):\n    return u in ALLOWED") is None


def test_entries_name_module_functions_and_methods() -> None:
    verdicts = same_site_verdicts(same_site_entries([("app.links", _SOURCE)]))
    assert verdicts == {
        "app.links.only_counts_slashes": LOOSE,
        "app.links.folds_backslashes": STRICT,
        "app.links.escapes_a_class": LOOSE,  # `\\S` in a plain string is a pattern class, not a backslash
        "app.links.Links.delegates": STRICT,
        "app.links.Links.render": LOOSE,  # its nested helper is part of its body, not a function of its own
    }


def test_files_without_url_shape_are_skipped() -> None:
    assert same_site_entries([("app.money", "def total(items):\n    return sum(i.price for i in items)\n")]) == frozenset()
