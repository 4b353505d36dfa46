"""What the intra-procedural pass records per function; small, picklable, cacheable."""
from __future__ import annotations

from dataclasses import dataclass

from servicelens.taint.values import Taint


@dataclass(frozen=True, slots=True)
class SinkEvent:
    kind: str  # a sink kind (taint/kinds.py)
    line: int
    col: int
    end_line: int
    callee: str  # what was called, for the message ("cursor.execute")
    taint: Taint  # origins of the data reaching the sink (symbolic)
    code: str  # the source line, for evidence
    confidence: str = "high"
    # a page body (or, in Python, an opaque SQL statement) that is the result of this project
    # function: it is a page (SQL text) only when that function returns text (known once every
    # function is summarised; see taint/returned.py)
    if_text_from: str = ""

    def __reduce__(self) -> tuple[object, ...]:
        # one constructor call when a worker's facts are unpickled (see values.Step.__reduce__)
        return (SinkEvent, (self.kind, self.line, self.col, self.end_line, self.callee, self.taint, self.code,
                            self.confidence, self.if_text_from))


# the keyword a call's `**mapping` is recorded under: it may bind any parameter not otherwise bound
SPREAD = "**"


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call that may reach a function of the project; resolved across files later."""

    index: int
    line: int
    callee: str  # dotted candidate name, e.g. "payments.db.run_query" or "pkg.mod.Class.method"
    args: tuple[Taint, ...]
    kwargs: tuple[tuple[str, Taint], ...]
    fallback: Taint  # taint of the result if the callee is not a project function
    code: str
    self_offset: int = 0  # 1 when called as a bound method (`self.m(x)`: x is parameter 1)

    def __reduce__(self) -> tuple[object, ...]:
        return (CallRecord, (self.index, self.line, self.callee, self.args, self.kwargs, self.fallback, self.code,
                             self.self_offset))


@dataclass(frozen=True, slots=True)
class FunctionSummary:
    key: str  # module_name + "." + qualname
    path: str
    line: int
    params: tuple[str, ...]
    returns: Taint
    sinks: tuple[SinkEvent, ...]
    calls: tuple[CallRecord, ...]
    # `self.attr = value` in a method: (class key, attribute, taint stored), read back by
    # any method of the class through a ("field", class key, attribute) origin
    fields: tuple[tuple[str, str, Taint], ...] = ()
    # what every return statement hands back when it is an instance built by a project call
    # (`return Wrapper(request)`): lets `make_wrapper(r).method()` be resolved to Wrapper.method
    returns_class: str = ""
    # text, data, response, `call:<callee>` or unknown (taint/returned.py): whether what the
    # function returns can be an HTML page when a Flask view returns it
    returns_kind: str = ""
    # field -> what it holds, when every return statement hands back an object literal
    # (`return { clause: placeholders, params: values }`): a caller reading one field
    # (`const { clause } = buildInClause(ids)`) gets that field's taint, not the whole object's
    returned_fields: tuple[tuple[str, Taint], ...] = ()
    # the kind of each member when every return statement hands back a tuple of one length
    # (`return user, response`): a caller that unpacks it returns one member (taint/returned.py)
    returns_members: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[object, ...]:
        return (FunctionSummary, (self.key, self.path, self.line, self.params, self.returns, self.sinks, self.calls,
                                  self.fields, self.returns_class, self.returns_kind, self.returned_fields,
                                  self.returns_members))
