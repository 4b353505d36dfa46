"""Routes registered as a path and a class whose methods are named after HTTP verbs."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.endpoints.inventory import mark_public
from servicelens.frameworks.handler_classes import FRAMEWORK
from servicelens.sources.parsing import ParserPool


def _routes(source: str, rel: str = "src/pages.ts") -> dict[tuple[str, str, str], tuple[str, str]]:
    facts = mark_public([analyze_javascript(rel, source, ParserPool())])[0]
    return {(r.methods[0], r.qualname, r.path): (r.auth, r.unread_check) for r in facts.routes
            if r.framework == FRAMEWORK}


PAGES = """
import { BaseView } from './base';
import { needsAdmin } from './checks';
class InvoiceView extends BaseView {
    async get(accountId: string) { return load(accountId); }
    @needsAdmin
    async post(accountId: string, amount: number) { return save(accountId, amount); }
    async postVoid(accountId: string) { return drop(accountId); }
    async postprocess() { return 1; }
    formatTotal() { return 0; }
}
class ArchivedInvoiceView extends InvoiceView {
    async delete(accountId: string) { return purge(accountId); }
}
class Helper { get() { return 1; } }
export function install(site: Site) {
    site.mount('invoice', '/accounts/:accountId/invoice', InvoiceView, Rights.BILLING);
    site.mount('invoice_archived', '/accounts/:accountId/archived', ArchivedInvoiceView);
    site.remember('/cache', Helper.name);
}
"""


def test_each_verb_method_of_the_registered_class_is_a_route() -> None:
    """Its own and those of a base class of the module; helpers and `postprocess` are not verbs."""
    invoice, archived = "/accounts/:accountId/invoice", "/accounts/:accountId/archived"
    assert set(_routes(PAGES)) == {
        ("GET", "InvoiceView.get", invoice), ("POST", "InvoiceView.post", invoice),
        ("POST", "InvoiceView.postVoid", invoice),
        ("DELETE", "ArchivedInvoiceView.delete", archived), ("GET", "InvoiceView.get", archived),
        ("POST", "InvoiceView.post", archived), ("POST", "InvoiceView.postVoid", archived)}


def test_checks_handed_to_the_registration_are_named_and_left_unread() -> None:
    routes = _routes(PAGES)
    auth, unread = routes[("POST", "InvoiceView.post", "/accounts/:accountId/invoice")]
    assert auth == "unknown"
    assert "`Rights.BILLING`" in unread and "`@needsAdmin`" in unread
    assert routes[("GET", "InvoiceView.get", "/accounts/:accountId/archived")] == ("unknown", "")


def test_a_route_declaring_checks_is_not_public_by_its_name() -> None:
    source = ("class RegisterView extends Page {\n  async get() { return form(); }\n}\n"
              "class SignupView extends Page {\n  async post(email: string) { return add(email); }\n}\n"
              "export function install(site) {\n"
              "  site.mount('register_key', '/me/keys/register', RegisterView, Rights.SIGNED_IN);\n"
              "  site.mount('signup', '/signup', SignupView);\n}\n")
    routes = _routes(source)
    assert routes[("GET", "RegisterView.get", "/me/keys/register")][0] == "unknown"
    assert routes[("POST", "SignupView.post", "/signup")][0] == "public"


def test_function_registrations_and_classes_without_verbs_are_not_class_routes() -> None:
    source = ("import express from 'express';\nconst app = express();\n"
              "class Controller { get(req, res) { res.end(); } }\n"
              "class Store { load() { return 1; } }\n"
              "app.get('/items', Controller);\nregistry.add('/store', Store);\n"
              "registry.add('store', Controller);\n")
    assert _routes(source, "src/app.ts") == {}
