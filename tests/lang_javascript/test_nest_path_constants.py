"""NestJS route paths written as string constants (`@Get(AUTH_LOGIN_PATH)`,
`@Controller(HEALTH_CHECK_ROUTE)`): the literal where the module or the module it imports from
binds one, a placeholder otherwise, never "/" (frameworks/path_constants.py,
frameworks/express_mounts.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

CONSTANTS = """export const AUTH_LOGIN_PATH = 'login';
export const AUTH_PREFIX = process.env.AUTH_PREFIX || 'auth';
export const OPEN_PATHS = ['/health'];
"""
CONTROLLER = """import { Controller, Get, Post } from '@nestjs/common';
import { AUTH_LOGIN_PATH, AUTH_PREFIX, OPEN_PATHS } from './constants';
const HEALTH_CHECK_ROUTE = 'health';

@Controller(HEALTH_CHECK_ROUTE)
export class HealthController {
  @Get()
  check() { return { ok: true }; }
}

@Controller('auth')
export class AuthController {
  @Post(AUTH_LOGIN_PATH)
  login() { return { token: 't' }; }
}

@Controller(AUTH_PREFIX)
export class OtherController {
  @Get(OPEN_PATHS)
  listed() { return {}; }
}
"""


def _paths(files: dict[str, str]) -> set[tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path) for f in facts for r in f.routes for m in r.methods}


def test_a_local_constant_controller_path_is_its_literal() -> None:
    assert ("GET", "/health") in _paths({"src/constants.ts": CONSTANTS, "src/app.controller.ts": CONTROLLER})


def test_an_imported_literal_constant_route_path_is_filled_in() -> None:
    assert ("POST", "/auth/login") in _paths({"src/constants.ts": CONSTANTS, "src/app.controller.ts": CONTROLLER})


def test_a_constant_that_is_not_a_literal_keeps_a_placeholder() -> None:
    paths = _paths({"src/constants.ts": CONSTANTS, "src/app.controller.ts": CONTROLLER})
    other = {p for m, p in paths if "AUTH_PREFIX" in p or "OPEN_PATHS" in p}
    assert other and all("{" in p for p in other)
    assert ("GET", "/") not in paths


def test_a_constant_no_reviewed_module_binds_keeps_a_placeholder() -> None:
    paths = _paths({"src/app.controller.ts": CONTROLLER})
    assert ("POST", "/auth/{src.constants.AUTH_LOGIN_PATH}") in paths
