"""NestJS: routes from decorated controllers, auth decided by what the guards in effect do
(global, controller, method, and those a decorator applies), metadata that opens a route,
decorated parameters as client input, and services reached through constructor injection."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

GUARD = """import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OPEN } from './open';

@Injectable()
export class TokenGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const skip = this.reflector.getAllAndOverride<boolean>(OPEN, [context.getHandler(), context.getClass()]);
    if (skip) {
      return true;
    }
    const req = context.switchToHttp().getRequest();
    if (!req.headers.authorization) {
      throw new UnauthorizedException();
    }
    return true;
  }
}
"""
OPEN = """import { SetMetadata } from '@nestjs/common';
export const OPEN = 'open';
export const Open = () => SetMetadata(OPEN, true);
"""
LOGGING_GUARD = """import { CanActivate, ExecutionContext } from '@nestjs/common';
export class LogGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    console.log('call');
    return true;
  }
}
"""
CONTROLLER = """import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, UseGuards } from '@nestjs/common';
import { Open } from './open';
import { TokenGuard } from './guard';
import { LogGuard } from './log';
import { NotesService } from './notes.service';

@Controller('notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get(':id')
  one(@Param('id', ParseIntPipe) id: number) { return this.notes.find(id); }

  @Open()
  @Post('import')
  load(@Body('url') url: string) { return this.notes.fetch(url); }

  @Delete(':id')
  @UseGuards(LogGuard)
  drop(@Param('id') id: string) { return this.notes.drop(id); }

  @UseGuards(TokenGuard)
  @Post()
  add(@Body() body: any) { return this.notes.add(body); }
}
"""
SERVICE = """import axios from 'axios';
import { exec } from 'child_process';
export class NotesService {
  find(id: number) { return id; }
  fetch(url: string) { return axios.get(url, { timeout: 1000 }); }
  drop(id: string) { exec('rm /notes/' + id); }
  add(body: any) { return body; }
}
"""


def _facts(files: dict[str, str]) -> list:
    pool = ParserPool()
    return with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(r.methods[0], r.path): (r.auth, r.auth_evidence) for f in _facts(files) for r in f.routes}


def test_controller_prefix_and_method_paths_make_the_routes() -> None:
    routes = _routes({"notes.controller.ts": CONTROLLER})
    assert set(routes) == {("GET", "/notes/:id"), ("POST", "/notes/import"), ("DELETE", "/notes/:id"),
                           ("POST", "/notes")}


def test_a_method_guard_that_checks_a_credential_requires_auth() -> None:
    routes = _routes({"notes.controller.ts": CONTROLLER, "guard.ts": GUARD, "open.ts": OPEN, "log.ts": LOGGING_GUARD})
    assert routes[("POST", "/notes")][0] == "required"
    assert "TokenGuard" in routes[("POST", "/notes")][1]


def test_a_guard_that_checks_nobody_leaves_the_route_open() -> None:
    routes = _routes({"notes.controller.ts": CONTROLLER, "guard.ts": GUARD, "open.ts": OPEN, "log.ts": LOGGING_GUARD})
    assert routes[("DELETE", "/notes/:id")][0] == "none"


def test_a_global_guard_covers_every_route_except_those_its_metadata_opens() -> None:
    module = ("import { Module } from '@nestjs/common';\nimport { APP_GUARD } from '@nestjs/core';\n"
              "import { TokenGuard } from './guard';\n"
              "@Module({ providers: [{ provide: APP_GUARD, useClass: TokenGuard }] })\nexport class AppModule {}\n")
    routes = _routes({"notes.controller.ts": CONTROLLER, "guard.ts": GUARD, "open.ts": OPEN, "log.ts": LOGGING_GUARD,
                      "app.module.ts": module})
    assert routes[("GET", "/notes/:id")][0] == "required"
    assert routes[("POST", "/notes/import")] == (
        "none", "`TokenGuard` lets the caller through when the route sets `OPEN`, and this route does")


def test_use_global_guards_in_bootstrap_is_a_global_guard() -> None:
    main = ("import { NestFactory } from '@nestjs/core';\nimport { TokenGuard } from './guard';\n"
            "async function boot() { const app = await NestFactory.create(M); app.useGlobalGuards(new TokenGuard(r)); }\n")
    routes = _routes({"notes.controller.ts": CONTROLLER, "guard.ts": GUARD, "open.ts": OPEN, "main.ts": main})
    assert routes[("GET", "/notes/:id")][0] == "required"


def test_a_guard_outside_the_review_keeps_auth_unknown() -> None:
    routes = _routes({"notes.controller.ts": CONTROLLER})
    assert routes[("POST", "/notes")][0] == "unknown"


def test_a_library_guard_from_the_knowledge_file_requires_auth() -> None:
    controller = ("import { Controller, Post, UseGuards } from '@nestjs/common';\n"
                  "import { AuthGuard } from '@nestjs/passport';\n"
                  "@Controller('me')\n@UseGuards(AuthGuard('jwt'))\nexport class Me {\n  @Post() save() { return 1; }\n}\n")
    assert _routes({"me.ts": controller})[("POST", "/me")][0] == "required"


def test_decorated_parameters_are_client_input_reaching_injected_services() -> None:
    facts = _facts({"notes.controller.ts": CONTROLLER, "notes.service.ts": SERVICE})
    from servicelens.taint.resolve import resolve_flows
    flows = resolve_flows([s for f in facts for s in f.summaries])
    kinds = {(flow.sink.kind, flow.sink_path) for flow in flows}
    assert ("command-injection", "notes.service.ts") in kinds
    assert ("ssrf", "notes.service.ts") in kinds


def test_a_strict_pipe_keeps_the_parameter_out_of_injection_flows() -> None:
    controller = CONTROLLER.replace("drop(@Param('id') id: string)", "drop(@Param('id', ParseIntPipe) id: string)")
    facts = _facts({"notes.controller.ts": controller, "notes.service.ts": SERVICE})
    from servicelens.taint.resolve import resolve_flows
    flows = resolve_flows([s for f in facts for s in f.summaries])
    assert not any(flow.sink.kind == "command-injection" for flow in flows)


AUTH_MIDDLEWARE = """import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class TokenMiddleware implements NestMiddleware {
  use(req: any, res: any, next: () => void) {
    if (!req.headers.authorization) {
      throw new UnauthorizedException();
    }
    next();
  }
}
"""
APPLYING_MODULE = """import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TokenMiddleware } from './token.middleware';
@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(TokenMiddleware).forRoutes('*');
  }
}
"""


def test_middleware_applied_by_a_module_that_checks_a_credential_requires_auth() -> None:
    routes = _routes({"notes.controller.ts": CONTROLLER, "token.middleware.ts": AUTH_MIDDLEWARE,
                      "app.module.ts": APPLYING_MODULE, "log.ts": LOGGING_GUARD})
    assert routes[("DELETE", "/notes/:id")][0] == "required"
    assert "applied by consumer.apply" in routes[("DELETE", "/notes/:id")][1]


def test_middleware_the_review_cannot_see_keeps_auth_unknown() -> None:
    routes = _routes({"notes.controller.ts": CONTROLLER, "app.module.ts": APPLYING_MODULE, "log.ts": LOGGING_GUARD})
    assert routes[("DELETE", "/notes/:id")][0] == "unknown"


RESOLVER = """import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { UseGuards } from '@nestjs/common';
import { GqlAuthGuard } from './gql.guard';
import { exec } from 'child_process';
@Resolver(() => Object)
export class NotesResolver {
  @Query(() => [Object], { name: 'notes' })
  list() { return []; }
  @Query(() => Object)
  note(@Args('id', { type: () => Int }) id: number) { return id; }
  @UseGuards(GqlAuthGuard)
  @Mutation(() => Object)
  removeNote(@Args('path') path: string) { exec('rm ' + path); return true; }
  helper() { return 1; }
}
"""
GQL_GUARD = """import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class GqlAuthGuard extends AuthGuard('jwt') {
  getRequest(context: ExecutionContext) {
    return GqlExecutionContext.create(context).getContext().req;
  }
}
"""


def test_graphql_resolver_operations_are_endpoints_named_as_the_schema_names_them() -> None:
    routes = _routes({"notes.resolver.ts": RESOLVER})
    assert set(routes) == {("QUERY", "notes"), ("QUERY", "note"), ("MUTATION", "removeNote")}


def test_graphql_arguments_are_client_input() -> None:
    facts = _facts({"notes.resolver.ts": RESOLVER, "gql.guard.ts": GQL_GUARD})
    from servicelens.taint.resolve import resolve_flows
    flows = resolve_flows([s for f in facts for s in f.summaries])
    assert {flow.sink.kind for flow in flows} == {"command-injection"}


def test_a_guard_extending_a_library_guard_without_its_own_check_is_that_guard() -> None:
    routes = _routes({"notes.resolver.ts": RESOLVER, "gql.guard.ts": GQL_GUARD})
    assert routes[("MUTATION", "removeNote")] == (
        "required", "`GqlAuthGuard` extends @nestjs/passport AuthGuard(...) rejects an unauthenticated request")
    assert routes[("QUERY", "notes")][0] == "none"


JWT_GUARD = """import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { OPEN } from './open';
@Injectable()
export class JwtGuard extends AuthGuard('jwt') {
  constructor(private reflector: Reflector) { super(); }
  canActivate(context: ExecutionContext) {
    const open = this.reflector.getAllAndOverride<boolean>(OPEN, [context.getHandler(), context.getClass()]);
    if (open) {
      return true;
    }
    return super.canActivate(context);
  }
}
"""
GUARDED = """import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { JwtGuard } from './jwt.guard';
import { Open } from './open';
@Controller('x')
@UseGuards(JwtGuard)
export class X {
  @Get() a() { return 1; }
  @Open() @Post('b') b() { return 2; }
}
"""


def test_a_guard_handing_the_rest_to_its_library_base_requires_auth_except_where_it_opens() -> None:
    routes = _routes({"x.ts": GUARDED, "jwt.guard.ts": JWT_GUARD, "open.ts": OPEN})
    assert routes[("GET", "/x")][0] == "required"
    assert routes[("POST", "/x/b")][0] == "none"


def test_a_library_subclass_whose_own_check_always_answers_true_is_not_a_guard() -> None:
    always = JWT_GUARD.replace("return super.canActivate(context);", "return true;")
    routes = _routes({"x.ts": GUARDED, "jwt.guard.ts": always, "open.ts": OPEN})
    assert routes[("GET", "/x")][0] == "none"


def test_a_guard_that_only_extends_a_rate_limiter_limits_and_checks_nobody() -> None:
    guard = ("import { Injectable } from '@nestjs/common';\nimport { ThrottlerGuard } from '@nestjs/throttler';\n"
             "@Injectable()\nexport class ProxyThrottler extends ThrottlerGuard {\n"
             "  protected async getTracker(req: any): Promise<string> { return req.ips.length ? req.ips[0] : req.ip; }\n}\n")
    controller = ("import { Controller, Get, UseGuards } from '@nestjs/common';\nimport { ProxyThrottler } from './throttle';\n"
                  "@Controller()\n@UseGuards(ProxyThrottler)\nexport class App {\n  @Get('ping') ping() { return 'pong'; }\n}\n")
    assert _routes({"throttle.ts": guard, "app.controller.ts": controller})[("GET", "/ping")][0] == "none"


COOKIE_GUARD = """import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class CookieGuard implements CanActivate {
  constructor(private readonly auth: AuthRepository) {}
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const token = request.cookies?.['access_token'];
    if (!token) {
      return false;
    }
    try {
      request.auth = this.auth.verifyToken(token);
      return true;
    } catch {
      return false;
    }
  }
}
"""
FLAG_GUARD = """import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class FlagGuard implements CanActivate {
  constructor(private readonly config: ConfigService) {}
  canActivate(context: ExecutionContext): boolean {
    return this.config.get('notes.enabled') === true;
  }
}
"""


def test_a_guard_that_verifies_a_credential_and_returns_false_otherwise_requires_auth() -> None:
    """Nest answers 403 when `canActivate` returns false: a guard that verifies the caller's token
    (`this.auth.verifyToken(...)`) and returns false without one authenticates; a guard returning
    false on a feature flag reads no credential and does not."""
    controller = CONTROLLER.replace("import { TokenGuard } from './guard';", "import { CookieGuard } from './cookie';\n"
                                    "import { FlagGuard } from './flag';")
    controller = controller.replace("@UseGuards(TokenGuard)", "@UseGuards(CookieGuard)")
    controller = controller.replace("@UseGuards(LogGuard)", "@UseGuards(FlagGuard)")
    routes = _routes({"notes.controller.ts": controller, "cookie.ts": COOKIE_GUARD, "flag.ts": FLAG_GUARD,
                      "open.ts": OPEN})
    assert routes[("POST", "/notes")] == (
        "required", "`CookieGuard.canActivate` calls self.auth.verifyToken() and refuses otherwise")
    assert routes[("DELETE", "/notes/:id")][0] != "required"


def test_package_middleware_known_to_check_nobody_leaves_routes_decided() -> None:
    """`consumer.apply(ClsMiddleware)` (nestjs-cls, request-scoped storage) checks nobody: the
    routes stay decided by their guards; an unknown package's middleware keeps them unknown."""
    module = ("import { MiddlewareConsumer, Module } from '@nestjs/common';\nimport { ClsMiddleware } from 'nestjs-cls';\n"
              "import { Tenant } from 'tenant-kit';\n"
              "@Module({})\nexport class AppModule {\n  configure(consumer: MiddlewareConsumer) {\n"
              "    consumer.apply(%s).forRoutes('*');\n  }\n}\n")
    files = {"notes.controller.ts": CONTROLLER, "guard.ts": GUARD, "open.ts": OPEN, "log.ts": LOGGING_GUARD}
    known = _routes({**files, "app.module.ts": module % "ClsMiddleware"})
    assert known[("DELETE", "/notes/:id")][0] == "none" and known[("POST", "/notes")][0] == "required"
    unknown = _routes({**files, "app.module.ts": module % "Tenant"})
    assert unknown[("DELETE", "/notes/:id")][0] == "unknown"


SESSION_GUARD = GUARD.replace("TokenGuard", "SessionGuard").replace("req.headers.authorization", "req.session.user")
AUTH_DECORATOR = """import { applyDecorators, UseGuards } from '@nestjs/common';
import { TokenGuard } from './guard';
import { SessionGuard } from './session';
export function Auth() { return applyDecorators(UseGuards(TokenGuard, SessionGuard)); }
"""
AUTH_CONTROLLER = """import { Body, Controller, Post } from '@nestjs/common';
import { Auth } from './auth';
@Controller('notes')
export class NotesController {
  @Auth()
  @Post()
  add(@Body() body: any) { return body; }
}
"""
_PRINT_EVIDENCE = (
    "from tests.lang_javascript.test_nestjs import AUTH_CONTROLLER, AUTH_DECORATOR, GUARD, OPEN, SESSION_GUARD, _routes\n"
    "print(_routes({'notes.controller.ts': AUTH_CONTROLLER, 'guard.ts': GUARD, 'session.ts': SESSION_GUARD,"
    " 'open.ts': OPEN, 'auth.ts': AUTH_DECORATOR})[('POST', '/notes')])\n")


def test_the_guard_a_decorator_applies_first_decides_under_every_hash_seed() -> None:
    """The guards a custom decorator applies are tried in the order it lists them: the evidence
    names the same guard whatever order the hash seed gives sets of strings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    seen = set()
    for seed in ("1", "2", "3", "4", "5", "6", "7", "8"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}"}
        done = subprocess.run([sys.executable, "-c", _PRINT_EVIDENCE], cwd=root, env=env,
                              capture_output=True, text=True, check=True, timeout=300)
        seen.add(done.stdout.strip())
    assert len(seen) == 1 and "TokenGuard" in seen.pop()


def test_a_route_its_metadata_opens_stays_open_in_the_reviewed_inventory(tmp_path) -> None:
    """The project-wide inventory does not judge the skipped guard again (endpoints/inventory.py)."""
    from servicelens.api import review
    from servicelens.config.settings import Settings
    for rel, text in {"x.ts": GUARDED, "jwt.guard.ts": JWT_GUARD, "open.ts": OPEN}.items():
        (tmp_path / rel).write_text(text)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    auth = {(e.method, e.path): e.auth for s in report.overview.services for e in s.endpoints}
    assert auth[("GET", "/x")] == "required"
    assert auth[("POST", "/x/b")] == "none"


SWITCHED_JWT_GUARD = """import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtGuard extends AuthGuard('jwt') {
  constructor(private config: ConfigService) { super(); }
  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return (await super.canActivate(context)) as boolean;
    } catch {
      return this.config.get('share.allowAnonymous');
    }
  }
}
"""
TOKEN_FALLBACK_GUARD = """import { ExecutionContext, Injectable } from '@nestjs/common';
import { JwtGuard } from './jwt.guard';
@Injectable()
export class UploadGuard extends JwtGuard {
  constructor(config: ConfigService, private uploads: UploadService) { super(config); }
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await super.canActivate(context)) return true;
    const ticket = context.switchToHttp().getRequest().cookies.upload_ticket;
    if (!ticket) return false;
    const valid = await this.uploads.isValid(ticket);
    return valid;
  }
}
"""
SHARES = """import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { JwtGuard } from './jwt.guard';
import { UploadGuard } from './upload.guard';
@Controller('shares')
export class Shares {
  @Get() @UseGuards(JwtGuard) mine() { return []; }
  @Post() @UseGuards(UploadGuard) create() { return 1; }
}
"""


def test_a_passport_guard_whose_catch_answers_a_setting_still_requires_auth() -> None:
    """Passport's AuthGuard throws 401 when the strategy fails: a `catch` answering a setting refuses
    the anonymous caller unless the deployment turns it on, which the evidence names."""
    routes = _routes({"jwt.guard.ts": SWITCHED_JWT_GUARD, "upload.guard.ts": TOKEN_FALLBACK_GUARD, "shares.ts": SHARES})
    auth, evidence = routes[("GET", "/shares")]
    assert auth == "required" and "self.config.get('share.allowAnonymous')" in evidence


def test_a_passport_guard_whose_catch_answers_true_or_reads_the_request_is_not_its_base() -> None:
    """`catch { return true }` lets every anonymous caller through: not the library's verdict."""
    admits = SWITCHED_JWT_GUARD.replace("return this.config.get('share.allowAnonymous');", "return true;")
    assert _routes({"jwt.guard.ts": admits, "shares.ts": SHARES})[("GET", "/shares")][0] != "required"
    own = SWITCHED_JWT_GUARD.replace("return this.config.get('share.allowAnonymous');",
                                     "return context.switchToHttp().getRequest().query.open === '1';")
    assert _routes({"jwt.guard.ts": own, "shares.ts": SHARES})[("GET", "/shares")][0] != "required"


def test_a_guard_accepting_its_base_or_a_credential_of_its_own_is_decided_by_the_base() -> None:
    """`if (await super.canActivate(ctx)) return true; if (!ticket) return false; ...`: an anonymous
    caller without the ticket meets the base's verdict; one that returns true without a ticket does not."""
    routes = _routes({"jwt.guard.ts": SWITCHED_JWT_GUARD, "upload.guard.ts": TOKEN_FALLBACK_GUARD, "shares.ts": SHARES})
    auth, evidence = routes[("POST", "/shares")]
    assert auth == "required" and evidence.startswith("`UploadGuard` is decided by `JwtGuard`")
    lenient = TOKEN_FALLBACK_GUARD.replace("if (!ticket) return false;", "if (!ticket) return true;")
    routes = _routes({"jwt.guard.ts": SWITCHED_JWT_GUARD, "upload.guard.ts": lenient, "shares.ts": SHARES})
    assert routes[("POST", "/shares")][0] != "required"


EXISTS_GUARD = """import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
@Injectable()
export class ShareExists implements CanActivate {
  constructor(private prisma: PrismaService) {}
  async canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest();
    const share = await this.prisma.share.findUnique({ where: { id: request.params.id } });
    if (!share) throw new NotFoundException('Share not found');
    return true;
  }
}
"""


def test_a_guard_refusing_only_what_the_url_names_is_missing_checks_nobody() -> None:
    """Only a NotFoundException when the record is missing: it checks the record exists, not the caller;
    the same refusal after reading `request.user` is left to the judge (not declared open)."""
    controller = ("import { Controller, Post, UseGuards } from '@nestjs/common';\nimport { ShareExists } from './exists';\n"
                  "@Controller('shares')\nexport class Shares {\n  @Post(':id/token') @UseGuards(ShareExists) token() { return 1; }\n}\n")
    assert _routes({"exists.ts": EXISTS_GUARD, "shares.ts": controller})[("POST", "/shares/:id/token")][0] == "none"
    reads = EXISTS_GUARD.replace("if (!share)", "if (!share || !request.user)")
    assert _routes({"exists.ts": reads, "shares.ts": controller})[("POST", "/shares/:id/token")][0] != "none"
