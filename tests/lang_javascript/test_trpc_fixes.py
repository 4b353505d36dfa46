"""Findings on tRPC procedures carry fixes in tRPC's idiom (a builder with a refusing or limiting
middleware), not an Express route line; an OpenAPI contract is not asked to list the procedures."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.loader import load_settings

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "missing-authentication" / "trpc_procedures"


def _findings():
    return review(FIXTURE, load_settings(FIXTURE, include_tests=True, use_cache=False, profile="extended")).findings


def test_missing_authentication_fix_builds_the_procedure_from_a_refusing_builder() -> None:
    fixes = {f.location.start_line: f.fix.code for f in _findings()
             if f.rule == "js-missing-authentication" and f.location.path.endswith("posts.ts")}
    assert fixes[14].startswith("purge: protectedProcedure.mutation(")
    assert fixes[21].startswith("add: protectedProcedure.mutation(")
    assert all(".post(" not in code and "requireAuth" not in code for code in fixes.values())


def test_brute_force_fix_is_a_limiting_builder_not_express_middleware() -> None:
    fix = next(f.fix for f in _findings() if f.rule == "js-rate-limit")
    assert "limitedProcedure" in fix.code and "TOO_MANY_REQUESTS" in fix.code
    assert "express-rate-limit" not in fix.code


APP = """import express from 'express';
import * as trpcExpress from '@trpc/server/adapters/express';
import { initTRPC } from '@trpc/server';
const t = initTRPC.create();
const appRouter = t.router({
  stats: t.procedure.query(() => 1),
});
const app = express();
app.get('/api/orders', (req, res) => res.json([]));
app.get('/api/items', (req, res) => res.json([]));
app.get('/api/audit', (req, res) => res.json([]));
app.use('/api/trpc', trpcExpress.createExpressMiddleware({ router: appRouter }));
app.listen(3000);
"""
CONTRACT = """openapi: 3.0.3
info: {title: shop, version: '1'}
paths:
  /api/orders:
    get:
      operationId: listOrders
      responses: {'200': {description: ok}}
  /api/items:
    get:
      operationId: listItems
      responses: {'200': {description: ok}}
"""


def test_the_contract_is_not_asked_to_list_procedures(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4", "@trpc/server": "10"}}')
    (tmp_path / "app.ts").write_text(APP)
    (tmp_path / "openapi.yaml").write_text(CONTRACT)
    found = review(tmp_path, load_settings(tmp_path, use_cache=False, profile="extended")).findings
    undocumented = {f.title for f in found if f.rule == "contract-undocumented-endpoint"}
    assert any("/api/audit" in title for title in undocumented)
    assert not any("trpc" in title for title in undocumented)
