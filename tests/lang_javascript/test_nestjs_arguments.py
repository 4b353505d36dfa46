"""NestJS decorator functions whose guards and metadata depend on their arguments, passport guards
whose `handleRequest` override drops the library's verdict, and guards that let a caller without a
credential through (frameworks/nestjs_arguments.py, frameworks/nestjs.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.frameworks.nestjs_arguments import holds, negated, parameter_test
from servicelens import ir
from servicelens.sources.parsing import ParserPool

KEYS = """export const MAYBE_ANONYMOUS = 'maybe-anonymous';
"""
# the package's index names the key the guards import (a barrel), the decorator uses its own module's
INDEX = """export * from './keys';
export * from './signed-in.decorator';
"""
SIGNED_IN = """import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { BearerGuard, KeyOrBearerGuard } from '../guards/bearer.guard';
import { MAYBE_ANONYMOUS } from './keys';

export function SignedIn(viaKey = false, anonymousToo = false) {
  return applyDecorators(
    SetMetadata(MAYBE_ANONYMOUS, anonymousToo),
    viaKey ? UseGuards(KeyOrBearerGuard) : UseGuards(BearerGuard),
  );
}
"""
GUARDS = """import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { MAYBE_ANONYMOUS } from '../decorators';

@Injectable()
export class BearerGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) { super(); }
  handleRequest(err: any, user: any, info: any, context: ExecutionContext) {
    const anonymous = this.reflector.getAllAndOverride<boolean>(MAYBE_ANONYMOUS, [context.getHandler(), context.getClass()]);
    if (anonymous) {
      return user;
    }
    return super.handleRequest(err, user, info, context);
  }
}

@Injectable()
export class KeyOrBearerGuard extends AuthGuard(['bearer', 'api-key']) {
  constructor(private readonly reflector: Reflector) { super(); }
  handleRequest(err: any, user: any, info: any, context: ExecutionContext) {
    const anonymous = this.reflector.getAllAndOverride<boolean>(MAYBE_ANONYMOUS, [context.getHandler(), context.getClass()]);
    if (anonymous) {
      if (err) {
        return super.handleRequest(err, user, info, context);
      }
      return user;
    }
    return super.handleRequest(err, user, info, context);
  }
}

@Injectable()
export class StrictBearerGuard extends AuthGuard('bearer') {
  handleRequest(err: any, user: any) {
    if (err || !user) {
      throw err;
    }
    return user;
  }
}

@Injectable()
export class WhoeverGuard extends AuthGuard('bearer') {
  handleRequest(err: any, user: any) {
    return !err && user ? user : { id: null };
  }
}
"""
CONTROLLER = """import { Controller, Delete, Get, Post, Put, UseGuards } from '@nestjs/common';
import { SignedIn } from '../decorators';
import { StrictBearerGuard, WhoeverGuard } from '../guards/bearer.guard';
import { SecondFactorGuard } from '../guards/second-factor.guard';

@Controller('boards')
export class BoardsController {
  @Post() @SignedIn() create() { return 1; }
  @Put(':id') @SignedIn(true) rename() { return 2; }
  @Get(':id') @SignedIn(false, true) show() { return 3; }
  @Get(':id/items') @SignedIn(true, true) items() { return 4; }
  @Delete(':id') @SignedIn(process.env.KEYS === 'on') remove() { return 5; }
  @Post(':id/archive') @UseGuards(StrictBearerGuard) archive() { return 6; }
  @Post(':id/view') @UseGuards(WhoeverGuard) view() { return 7; }
  @Post(':id/export') @UseGuards(SecondFactorGuard) exportAll() { return 8; }
}
"""
SECOND_FACTOR = """import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

@Injectable()
export class SecondFactorGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest();
    const user = request.user;
    if (!user) return true;
    if (user.secondFactorEnabled && !user.secondFactorPassed) {
      return false;
    }
    return true;
  }
}
"""
FILES = {"src/decorators/keys.ts": KEYS, "src/decorators/index.ts": INDEX,
         "src/decorators/signed-in.decorator.ts": SIGNED_IN, "src/guards/bearer.guard.ts": GUARDS,
         "src/guards/second-factor.guard.ts": SECOND_FACTOR, "src/boards/boards.controller.ts": CONTROLLER}


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(r.methods[0], r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes}


def test_the_guard_a_decorator_applies_is_chosen_by_the_route_arguments() -> None:
    routes = _routes(FILES)
    assert routes[("POST", "/boards")] == ("required", "`BearerGuard` extends @nestjs/passport AuthGuard(...) "
                                                       "rejects an unauthenticated request")
    assert routes[("PUT", "/boards/:id")][0] == "required"
    assert "KeyOrBearerGuard" in routes[("PUT", "/boards/:id")][1]


def test_metadata_set_from_an_argument_opens_the_guard_only_where_it_is_true() -> None:
    routes = _routes(FILES)
    # the handleRequest override lets a caller without a user through when the key is set
    assert routes[("GET", "/boards/:id")][0] == "none"
    assert routes[("GET", "/boards/:id/items")][0] == "none"


def test_an_argument_the_review_cannot_read_leaves_the_route_undecided() -> None:
    routes = _routes(FILES)
    assert routes[("DELETE", "/boards/:id")] == (
        "unknown", "decorator `SignedIn` applies guards or metadata by an argument the review cannot read")


def test_an_outcome_override_that_still_throws_keeps_the_library_check() -> None:
    assert _routes(FILES)[("POST", "/boards/:id/archive")][0] == "required"


def test_an_outcome_override_that_never_refuses_checks_nobody() -> None:
    assert _routes(FILES)[("POST", "/boards/:id/view")][0] == "none"


def test_a_guard_letting_a_caller_without_a_user_through_is_not_an_authentication_check() -> None:
    assert _routes(FILES)[("POST", "/boards/:id/export")][0] == "unknown"


def test_parameter_conditions() -> None:
    params = (ir.Param(1, "viaKey", "positional", ir.Const(1, 0, False)),
              ir.Param(1, "anonymousToo", "positional", ir.Const(1, 0, True)))
    assert parameter_test(ir.Name(1, 0, "viaKey"), params) == "0tf"
    assert parameter_test(ir.Unary(1, 0, "not", ir.Name(1, 0, "anonymousToo")), params) == "1ft"
    assert parameter_test(ir.Name(1, 0, "elsewhere"), params) == "?"
    assert negated("0tf") == "0ff"
    assert holds(("0tf",), {}) is False  # the default is false
    assert holds(("0tf",), {0: "t"}) is True
    assert holds(("0tf", "1ft"), {0: "t"}) is False  # the second's default is true
    assert holds(("0tf",), {0: "u"}) is None
    assert holds(("?",), {0: "t"}) is None
