"""Decorator functions whose guards and metadata depend on their arguments.

    export function Auth(apiKey = false, optional = false) {
      return applyDecorators(SetMetadata(IS_OPTIONAL, optional),
                             apiKey ? UseGuards(ApiKeyOrJwtGuard) : UseGuards(JwtGuard));
    }
    @Auth()            -> JwtGuard, IS_OPTIONAL not set
    @Auth(true, true)  -> ApiKeyOrJwtGuard, IS_OPTIONAL set

Per file (frameworks/nestjs.py) a decorator function's composition is read under the conditions
its parameters put on each part: a conditional choosing between decorators by a parameter's
truth, and a metadata value that is a parameter (a guard tests the value's truth: `false` does
not set the key for it). Each conditioned part is an edge child `WHEN<conditions>:<child>`; each
route records the literal arguments of the decorators it declares (RouteFact.ref_options, field
ARGUMENT). The project phase (frameworks/nestjs_project.py) keeps a part whose conditions hold
for the route's arguments (a missing argument takes the parameter's default), drops one whose
conditions fail, and counts as undecided a decorator whose part depends on what it cannot read.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.frameworks.route_options import UNREAD, RefOptions, literal_text

WHEN = "nestjs-when:"
ARGUMENT = ""  # the RefOptions field holding a positional argument's literal itself
UNDECIDED = "nestjs-undecided:"  # marker of a decorator whose parts depend on an unread value
_FALSY = frozenset({"false", "null", "undefined", "0", '""', "''"})
# one condition: "<parameter index><t|f><its default's truth: t, f, or u when not a literal>"
_UNKNOWN = "?"


def truth(text: str) -> str:
    """The truth of a literal's JS source text: "t", "f", or "u" when it is not a literal."""
    if text == UNREAD:
        return "u"
    return "f" if text in _FALSY else "t"


def parameter_test(test: ir.Expr, params: tuple[ir.Param, ...]) -> str:
    """The condition a conditional's test puts on a parameter (`apiKey` -> "0t?", `!apiKey` -> "0f?"
    with the default's truth in place of ?), or _UNKNOWN when the test is anything else."""
    wanted = "t"
    if isinstance(test, ir.Unary) and test.op == "not":
        test, wanted = test.operand, "f"
    if not isinstance(test, ir.Name):
        return _UNKNOWN
    for index, param in enumerate(params):
        if param.name == test.id and param.kind == "positional":
            default = truth(literal_text(param.default)) if param.default is not None else "f"
            return f"{index}{wanted}{default}"
    return _UNKNOWN


def negated(condition: str) -> str:
    if condition == _UNKNOWN:
        return condition
    return f"{condition[:-2]}{'f' if condition[-2] == 't' else 't'}{condition[-1]}"


def conditioned(child: str, conditions: tuple[str, ...]) -> str:
    return f"{WHEN}{','.join(conditions)}:{child}" if conditions else child


def split(child: str) -> tuple[tuple[str, ...], str]:
    """(the conditions, the child they guard) of a conditioned edge child."""
    conditions, _, inner = child[len(WHEN):].partition(":")
    return tuple(conditions.split(",")), inner


def route_arguments(call: ir.Expr, ref: str) -> tuple[RefOptions, ...]:
    """The literal positional arguments of a decorator call a route declares (`@Auth(true)`)."""
    if not isinstance(call, ir.Call):
        return ()
    return tuple(RefOptions(ref, index, ((ARGUMENT, literal_text(arg)),), True) for index, arg in enumerate(call.args))


def holds(conditions: tuple[str, ...], arguments: dict[int, str]) -> bool | None:
    """Whether every condition holds for the decorator's arguments (index -> truth); None when one
    depends on a value the review cannot read."""
    result: bool | None = True
    for condition in conditions:
        if condition == _UNKNOWN:
            return None
        index, wanted, default = int(condition[:-2]), condition[-2], condition[-1]
        actual = arguments.get(index, default)
        if actual == "u":
            result = None
        elif actual != wanted:
            return False
    return result


def arguments_of(options: tuple[RefOptions, ...], ref: str) -> dict[int, str]:
    """The truth of each literal argument the route passes the decorator `ref`."""
    return {o.index: truth(text) for o in options if o.ref == ref for field, text in o.fields if field == ARGUMENT}
