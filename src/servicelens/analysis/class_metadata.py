"""broken-function-authorization: a role guard that never sees the roles a controller class declares.

NestJS keeps a decorator's metadata where it was written: `@Roles('admin')` over a controller class
is metadata of the class, over a method metadata of the method. A guard that reads it with
`reflector.get(ROLES_KEY, context.getHandler())` and lets the request through when nothing is
found (`if (!roles) return true`) therefore lets every route of a class-level `@Roles` controller
through unless the method repeats the decorator: any signed-in caller calls the admin routes.
`getAllAndOverride(ROLES_KEY, [context.getHandler(), context.getClass()])` reads both.

The facts come from frameworks/nestjs.py (which keys a guard's early `return true` tests, and
whether its read names the class) and frameworks/nestjs_project.py (which guards run on which
routes, and which metadata the class sets); the finding stands on the guard's test.
"""
from __future__ import annotations

from typing import Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.config.settings import Settings
from servicelens.frameworks.nestjs_project import UnseenClassMetadata, unseen_class_metadata
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location

_CONCERN = "broken-function-authorization"
_SHOWN = 4


def unseen_class_roles(facts: Sequence[FileFacts], settings: Settings) -> list[Finding]:
    if not settings.enabled(_CONCERN):
        return []
    return [_finding(rel, unseen) for rel, unseen in unseen_class_metadata(facts) if unseen.line]


def _finding(rel: str, unseen: UnseenClassMetadata) -> Finding:
    guard = unseen.guard.rsplit(".", 1)[-1]
    controller = unseen.controller.rsplit(".", 1)[-1]
    key = unseen.key.rsplit(".", 1)[-1]
    shown = ", ".join(f"`{r}`" for r in unseen.routes[:_SHOWN]) + (" ..." if len(unseen.routes) > _SHOWN else "")
    return make_finding(
        _CONCERN, Location(rel, unseen.line),
        f"`{guard}` reads `{key}` from the route method only; `{controller}` sets it on the class",
        f"`{controller}` declares `{key}` on the controller class, but `{guard}` reads it with the handler "
        f"alone as target and lets the request through when it finds none, so it checks nothing on "
        f"{shown}: any signed-in caller may call them.",
        confidence=Confidence.HIGH,
        fix=Fix("Read the metadata from the method and the class, so a class-level decorator counts (or repeat "
                "the decorator on every method).",
                f"const required = this.reflector.getAllAndOverride<string[]>({key}, [\n"
                "  context.getHandler(),\n  context.getClass(),\n]);", "javascript"),
        rule="js-broken-function-authorization",
        key=f"{unseen.guard}|{unseen.key}|{unseen.controller}",
    )
