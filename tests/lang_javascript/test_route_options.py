"""A middleware factory whose check the route's own options switch off (frameworks/route_options.py):
routes that leave the check on require authentication, routes whose options turn it off are open
by the project's declaration, and options the review cannot read decide nothing."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.frameworks.express_auth import credential_read_of, family_of
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens import ir
from servicelens.frameworks.route_options import OFF, ON, UNREAD_OPTIONS, RefOptions, call_options, option_gate, option_state, runs
from tests.lang_javascript.lowering_helpers import function, lower

# the check runs unless the route says otherwise: a field with a default compared with a literal
DEFAULTED = """
export function guarded(options) {
    options.access ??= "members";
    return async (req, res, next) => {
        if (options.access === "members" && !req.user) throw new Error("sign in");
        next();
    };
}
"""
# the check is skipped early for a route flagged open
FLAGGED = """
export function withAuth(settings) {
    return function (req, res, next) {
        if (settings.open) return next();
        if (!req.headers.authorization) return res.status(401).end();
        next();
    };
}
"""
# the check nested under a test of the option
NESTED = """
export function secured(config) {
    return (req, res, next) => {
        if (!config.optional) {
            if (!req.session) return res.sendStatus(401);
        }
        next();
    };
}
"""
# the option decides something else (a permission), after a check every route gets
UNGATED = """
export function checked(opts) {
    return (req, res, next) => {
        if (!req.user) return res.sendStatus(401);
        if (opts.permission && !req.user.can(opts.permission)) return res.sendStatus(403);
        next();
    };
}
"""


def _gate(source: str, name: str):
    module = lower(source, "src/mw.ts")
    family = family_of(function(module, name), module.functions)
    params = {p.name for f in family for p in f.params}
    return option_gate(family, lambda e: bool(credential_read_of(e, params, middleware_knowledge())))


def _passes(**fields: str) -> tuple[RefOptions, ...]:
    return (RefOptions("src.mw.f", 0, tuple(fields.items()), True),)


def test_a_defaulted_field_compared_with_a_literal_gates_the_check() -> None:
    gate = _gate(DEFAULTED, "guarded")
    assert gate is not None and (gate.field, gate.test, gate.literal, gate.default) == (
        "access", "==", '"members"', '"members"')
    assert option_state(gate, "src.mw.guarded", _passes()) == (ON, "")  # the default keeps it on
    assert option_state(gate, "src.mw.guarded", _passes(access='"members"')) == (ON, "")
    state, evidence = option_state(gate, "src.mw.guarded", _passes(access='"anyone"'))
    assert state == OFF and "`access: \"anyone\"`" in evidence


def test_an_early_hand_on_under_a_flag_gates_the_check() -> None:
    gate = _gate(FLAGGED, "withAuth")
    assert gate is not None and (gate.field, gate.test) == ("open", "falsy")
    assert runs(gate, "true") is False and runs(gate, "undefined") is True
    assert option_state(gate, "src.mw.withAuth", _passes(open="true"))[0] == OFF
    assert option_state(gate, "src.mw.withAuth", _passes(open="false"))[0] == ON


def test_a_check_nested_under_a_test_of_the_option_is_gated_by_it() -> None:
    gate = _gate(NESTED, "secured")
    assert gate is not None and (gate.field, gate.test) == ("optional", "falsy")
    assert option_state(gate, "src.mw.secured", _passes(optional="true"))[0] == OFF
    assert option_state(gate, "src.mw.secured", _passes())[0] == ON


def test_an_option_tested_after_an_unconditional_check_gates_nothing() -> None:
    assert _gate(UNGATED, "checked") is None


def test_options_the_review_cannot_read_decide_nothing() -> None:
    gate = _gate(DEFAULTED, "guarded")
    unread = (RefOptions("src.mw.guarded", 0, (), False),)
    assert option_state(gate, "src.mw.guarded", unread) == (UNREAD_OPTIONS, "")
    assert option_state(gate, "src.mw.guarded", _passes(access="?")) == (UNREAD_OPTIONS, "")


def test_a_spread_or_a_computed_key_makes_the_options_unread() -> None:
    module = lower('router.get("/a", guarded({ [k]: "anyone" }), h);\nrouter.get("/b", guarded({ ...base }), h);\n'
                   'router.get("/c", guarded({ access: "anyone" }), h);\n', "src/routes.ts")
    calls = [node for stmt in module.body for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root)
             if isinstance(node, ir.Call) and ir.dotted_name(node.func) == "guarded"]
    gate = _gate(DEFAULTED, "guarded")
    states = [option_state(gate, "src.mw.guarded", call_options(call, "src.mw.guarded"))[0] for call in calls]
    assert states == [UNREAD_OPTIONS, UNREAD_OPTIONS, OFF]


TSCONFIG = '{ "compilerOptions": { "paths": { "@app/mw*": ["./src/mw*"] } } }'
BARREL = 'export * from "./guarded";\n'
ROUTES = """import { Router } from "express";
import { guarded } from "@app/mw";
const router = Router();
router.get("/profile", guarded({}), async (req, res) => res.json(req.user));
router.post("/sign-up-later", guarded({ access: "anyone" }), async (req, res) => res.sendStatus(201));
router.put("/settings", guarded({ access: mode }), async (req, res) => res.sendStatus(204));
export default router;
"""
LOCAL = """import express from "express";
import { verifySession } from "@corp/sessions";
const app = express();
function gate(opts) {
    const { open = false } = opts;
    return (req, res, next) => {
        if (!open && !req.user) return res.status(401).end();
        next();
    };
}
app.get("/feed", gate({}), (req, res) => res.json([]));
app.post("/contact", gate({ open: true }), (req, res) => res.sendStatus(201));
app.post("/notes", verifySession, gate({ open: true }), (req, res) => res.sendStatus(201));
app.listen(3000);
"""


def _inventory(root: Path) -> dict[tuple[str, str], tuple[str, str]]:
    report = review(root, Settings(use_cache=False))
    return {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def test_routes_of_an_imported_factory_are_decided_by_their_own_options(tmp_path: Path) -> None:
    (tmp_path / "src" / "mw").mkdir(parents=True)
    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    (tmp_path / "src" / "mw" / "index.ts").write_text(BARREL)
    (tmp_path / "src" / "mw" / "guarded.ts").write_text(DEFAULTED)
    (tmp_path / "src" / "routes.ts").write_text(ROUTES)
    found = {method: auth for (method, _), (auth, _) in _inventory(tmp_path).items()}
    assert found == {"GET": "required", "POST": "public", "PUT": "unknown"}


def test_a_factory_of_the_same_module_is_decided_by_each_route_s_options(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(LOCAL)
    found = _inventory(tmp_path)
    assert found[("GET", "/feed")][0] == "required"
    assert found[("POST", "/contact")][0] == "public"
    assert found[("POST", "/contact")][1].startswith("public by the project's declaration: `gate` checks the caller")
    # the options switch off `gate` only: `verifySession`, which the review cannot read, may still check
    assert found[("POST", "/notes")][0] == "unknown"


# a middleware of its own (no factory): its callback tests the response, not an options object
CALLBACK = """
export function authenticate(req, res, next) {
    verifyAsync(req.headers.authorization, (err, user) => {
        if (!res.headersSent && !user) return res.status(401).end();
        req.user = user;
        next();
    });
}
"""


def test_a_middleware_s_own_callback_is_no_factory_s_product() -> None:
    assert _gate(CALLBACK, "authenticate") is None


# the flagged branch reads the credential on its way on, and checks nothing
DECODED_ON_THE_WAY = """
export function withAuth(settings) {
    return function (req, res, next) {
        if (settings.optional) {
            req.user = decode(req.headers.authorization);
            return next();
        }
        if (!req.headers.authorization) return res.status(401).end();
        next();
    };
}
"""


def test_a_branch_reading_the_credential_on_its_way_on_still_skips_the_check() -> None:
    gate = _gate(DECODED_ON_THE_WAY, "withAuth")
    assert gate is not None and (gate.field, gate.test) == ("optional", "falsy")
    assert option_state(gate, "src.mw.withAuth", _passes()) == (ON, "")
    assert option_state(gate, "src.mw.withAuth", _passes(optional="true"))[0] == OFF
