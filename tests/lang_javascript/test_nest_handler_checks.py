"""A NestJS route method that checks the caller itself (a shared secret in a header, compared in a
class helper that throws 401) requires a credential even where `@Public()` skips the guards: the
same judgement as an Express handler's own check (frameworks/nestjs.py `_handler_check`)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool
from tests.lang_javascript.test_nestjs import GUARD, OPEN

MODULE = ("import { Module } from '@nestjs/common';\nimport { APP_GUARD } from '@nestjs/core';\n"
          "import { TokenGuard } from './guard';\n"
          "@Module({ providers: [{ provide: APP_GUARD, useClass: TokenGuard }] })\nexport class AppModule {}\n")
CONTROLLER = """import { Body, Controller, Get, Headers, Param, Post, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Open } from './open';

@Controller('internal/pages')
export class InternalPagesController {
  constructor(private readonly config: ConfigService) {}

  private assertSecret(provided: string | undefined): void {
    const expected = this.config.get<string>('pushSecret') ?? '';
    if (!expected || provided !== expected) {
      throw new UnauthorizedException('Invalid or missing push secret');
    }
  }

  @Open()
  @Post()
  upsert(@Headers('x-internal-secret') secret: string, @Body() body: any) {
    this.assertSecret(secret);
    return body;
  }

  @Open()
  @Get(':slug')
  show(@Headers('accept-language') language: string, @Param('slug') slug: string) {
    if (!slug) {
      throw new UnauthorizedException();
    }
    return { slug, language };
  }

  @Open()
  @Get()
  list(@Headers('x-internal-secret') secret: string) {
    return { secret: Boolean(secret) };
  }
}
"""


def _routes() -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    files = {"pages.controller.ts": CONTROLLER, "guard.ts": GUARD, "open.ts": OPEN, "app.module.ts": MODULE}
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(r.methods[0], r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes}


def test_an_opened_route_whose_method_checks_a_secret_header_requires_it() -> None:
    auth, evidence = _routes()[("POST", "/internal/pages")]
    assert auth == "required" and "x-internal-secret" in evidence and "handler checks credentials itself" in evidence


def test_an_opened_route_refusing_on_a_non_credential_header_stays_open() -> None:
    assert _routes()[("GET", "/internal/pages/:slug")][0] == "none"


def test_reading_the_secret_header_without_refusing_stays_open() -> None:
    assert _routes()[("GET", "/internal/pages")][0] == "none"
