"""Django fills a view's parameters only with the variables of the URL patterns bound to it.

A module-level function that takes `request` first is taken for a view file by file, and its
other parameters for URL values. Once the project's URLconfs are read that can be checked, one
parameter at a time: Django passes a pattern's variables by name, so a parameter no pattern
anywhere names is never filled by the URL. If none of a function's parameters is named, it is a
helper views call (`redirect_with_query(request, redirect_url)`, `build_absolute_uri(request,
path)`) and its parameters hold whatever its callers pass, which taint follows on its own from
their sources. If some are, the others keep their default or take the constant `kwargs` a
`path()` hands the view (`def order(request, order_id, template_name="shop/order.html")`).
Flows whose client text is such a "URL parameter" are dropped.

Positional groups (`re_path(r"^(\\d+)/$", view)`) fill parameters by position, not by name,
so a project with one keeps every URL parameter (a pattern that also names a group passes only
the named ones: `(?P<list_id>\\d+)(\\.json)?`). Classes are left alone: routers name their
lookups (`pk`, `lookup_url_kwarg`) where no URLconf text shows them.
"""
from __future__ import annotations

from typing import Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.frameworks.url_segments import routed_variables
from servicelens.taint.carriers import param_source_name
from servicelens.taint.resolve import TaintFlow

_URL_PARAMETER = "URL parameter"


def without_unfilled_url_parameters(flows: Sequence[TaintFlow], facts: Sequence[FileFacts]) -> list[TaintFlow]:
    """`flows` less those starting at a parameter of a Django function view no URL pattern fills."""
    if not any(_url_parameter_source(flow) for flow in flows):
        return list(flows)
    unfilled = _unfilled_views(facts)
    if not unfilled:
        return list(flows)
    return [flow for flow in flows if not _from_unfilled(flow, unfilled)]


def _url_parameter_source(flow: TaintFlow) -> bool:
    source = flow.source
    return source.base[0] == "src" and len(source.base) > 2 and source.base[2] == _URL_PARAMETER \
        and bool(source.trace) and param_source_name(source.trace[0].text) is not None


_Unfilled = dict[str, list[tuple[int, int, frozenset[str]]]]


def _from_unfilled(flow: TaintFlow, unfilled: _Unfilled) -> bool:
    if not _url_parameter_source(flow):
        return False
    first = flow.source.trace[0]
    name = param_source_name(first.text)
    return any(start <= first.line <= end and name in params
               for start, end, params in unfilled.get(first.path, ()))


def _unfilled_views(facts: Sequence[FileFacts]) -> _Unfilled:
    """file -> (line span, parameters) of Django function views with parameters no URL pattern of
    the project names. Empty when the project has no URLconf or one with positional groups."""
    named = routed_variables(p.route for fact in facts for p in fact.url_patterns)
    if named is None:
        return {}
    out: _Unfilled = {}
    for fact in facts:
        if not _django_only(fact.imports):
            continue
        params = {s.key: s.params for s in fact.summaries}
        for span in fact.spans:
            if "." in span.qualname:
                continue  # methods and nested functions: not what Django routes by name here
            own = params.get(f"{fact.module_name}.{span.qualname}")
            if not own or own[0] != "request":
                continue
            unnamed = frozenset(own[1:]) - named
            if unnamed:
                out.setdefault(fact.rel, []).append((span.line, span.end_line, unnamed))
    return out


def _django_only(imports: Sequence[str]) -> bool:
    """A Django module: Flask and Tornado also call their URL values "URL parameter", and
    Tornado passes its groups by position."""
    targets = tuple(imports)
    return any(t == "django" or t.startswith(("django.", "rest_framework")) for t in targets) and \
        not any(t.startswith(("flask", "tornado", "ninja")) for t in targets)
