"""Next.js API routes: the URL from the file's path (Pages Router `pages/api`, App Router
`route.ts`), the methods from `req.method` comparisons or exported method functions, and auth
decided by what the exported wrapper does (its options switching its check on or off)."""
from __future__ import annotations

import pytest

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.frameworks.nextjs_routes import next_knowledge, next_route
from servicelens.sources.parsing import ParserPool

SESSION = """import { getSession } from './store';
export type Options = { signedIn?: boolean };
export const guarded = (handler, options: Options = {}) => async (req, res) => {
  if (options.signedIn) {
    return getSession(req.headers.authorization).then((account) => {
      if (!account) return res.status(401).json({ error: 'sign in' });
      return handler(req, res, account);
    });
  }
  return handler(req, res);
};
"""
NOTES = """import { guarded } from '../../lib/session';
async function handler(req, res, account) {
  if (req.method === 'DELETE') {
    return res.json(await remove(req.body.id));
  } else {
    return res.json(await list(account.id));
  }
}
export default guarded(handler, { signedIn: true });
"""
STATUS = """import { guarded } from '../../lib/session';
async function handler(req, res) {
  return res.json({ up: true });
}
export default guarded(handler);
"""
PING = """export default function handler(req, res) {
  res.status(200).json({ pong: true });
}
"""
ORDERS = """export async function GET(request, { params }) {
  return Response.json({ id: params.id });
}
export const PATCH = async (request) => Response.json(await request.json());
"""
CARD = """export default function Card(props) {
  return props.title;
}
"""


def _routes(files: dict[str, str]) -> dict[tuple[str, str], str]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): r.auth for f in facts for r in f.routes for m in r.methods}


@pytest.mark.parametrize(("rel", "path"), [
    ("pages/api/notes/index.ts", "/api/notes"),
    ("src/pages/api/users/[id].ts", "/api/users/:id"),
    ("pages/api/files/[...key].js", "/api/files/:key*"),
    ("app/(shop)/orders/[id]/route.ts", "/orders/:id"),
    ("src/app/api/health/route.js", "/api/health"),
])
def test_the_url_is_the_files_path(rel: str, path: str) -> None:
    served = next_route(rel, next_knowledge())
    assert served is not None and served.path == path


@pytest.mark.parametrize("rel", [
    "pages/notes.tsx",                 # a page, not an API route
    "app/orders/[id]/page.tsx",        # the App Router's page beside a route
    "app/_lib/helpers/route.ts",       # a private folder is never served
    "lib/api/route-helpers.ts",
])
def test_modules_next_does_not_serve_as_api_routes_have_no_url(rel: str) -> None:
    assert next_route(rel, next_knowledge()) is None


def test_pages_router_methods_come_from_the_handlers_comparisons() -> None:
    routes = _routes({"lib/session.ts": SESSION, "pages/api/notes.ts": NOTES, "pages/api/ping.ts": PING})
    assert {key for key in routes if key[1] == "/api/notes"} == {("DELETE", "/api/notes"), ("GET", "/api/notes")}
    assert ("ALL", "/api/ping") in routes  # no comparison: every method


def test_a_wrapper_whose_options_switch_its_check_on_requires_auth() -> None:
    routes = _routes({"lib/session.ts": SESSION, "pages/api/notes.ts": NOTES, "pages/api/status.ts": STATUS,
                      "pages/api/ping.ts": PING})
    assert routes[("DELETE", "/api/notes")] == "required"
    assert routes[("ALL", "/api/ping")] == "none"


def test_a_wrapper_called_without_the_option_does_not_require_auth() -> None:
    routes = _routes({"lib/session.ts": SESSION, "pages/api/status.ts": STATUS})
    assert routes[("ALL", "/api/status")] != "required"


def test_app_router_methods_are_the_exported_functions() -> None:
    routes = _routes({"app/orders/[id]/route.ts": ORDERS})
    assert set(routes) == {("GET", "/orders/:id"), ("PATCH", "/orders/:id")}


def test_a_default_export_that_is_no_handler_is_no_route() -> None:
    assert _routes({"pages/api/card.tsx": CARD, "components/Card.tsx": CARD}) == {}


def test_an_else_refusing_other_methods_with_405_answers_no_get() -> None:
    text = """export default async function handler(req, res) {
  if (req.method === 'POST') {
    return res.json(await save(req.body));
  } else {
    res.setHeader('Allow', ['POST']);
    res.status(405).end(`Method ${req.method} Not Allowed`);
  }
}
"""
    assert set(_routes({"pages/api/save.ts": text})) == {("POST", "/api/save")}
