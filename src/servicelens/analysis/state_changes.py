"""Which handlers change state: what a request runs writes something, by what its calls do.

missing-authentication reports a POST route that "changes state" without authentication; a POST
is also how RPC-style APIs read (`POST /api/server/get_info`), how search and markdown previews
take a long body, and how a sidecar takes the picture it computes on. A handler changes state when
it, or a project function it reaches (the taint call graph, however deep), calls something whose
name says it writes: a verb of models/vocabulary/state_changes.yaml among the words of the called
name (`session.commit`, `user_create`, `Model.objects.filter(...).update`, `requests.post`,
`cache.set`, `send_mail`), or an `execute` of SQL that inserts, updates or deletes. What only
answers the caller (`response.set_cookie`, rendering a template) changes nothing on the server.
Code that writes nothing is not enough on its own (a stub, or a write in code the call graph cannot
follow, looks the same): the handler's name or route must also say it reads (`declares_read`). A
handler the review has no span for is taken as changing state.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from servicelens import ir
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.file_index import FileIndex, unindexed
from servicelens.rules.python._common import words
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.resolve import call_graph

_SQL_WRITE = re.compile(r"(?i)\b(insert|update|delete|merge|upsert|replace|create|drop|alter|truncate)\b")
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class StateVocabulary:
    verbs: frozenset[str]  # words of a called name that say it writes
    response_only: frozenset[str]  # called names (last part) that only shape the response
    response_receivers: frozenset[str]  # receivers that are the response being built (`res` of `res.send`)
    reads: frozenset[str]  # words of a handler's name that say it reads (`get`, `list`, `search`, `preview`)
    statements: frozenset[str]  # called names (last part) that run SQL text: a write when the text is one


@lru_cache(maxsize=1)
def vocabulary() -> StateVocabulary:
    data = vocabulary_file("state_changes.yaml")
    return StateVocabulary(frozenset(data["write_verbs"]), frozenset(data["response_only"]),
                           frozenset(data["response_receivers"]), frozenset(data["read_verbs"]),
                           frozenset(data["sql_statements"]))


def writing_functions(module: ir.Module, index: FileIndex | None = None) -> tuple[str, ...]:
    """Qualnames of the functions whose own body (nested functions apart) calls something that writes.
    With the file's index, each body's calls are a slice of it instead of a walk."""
    vocab = vocabulary()
    nodes = index if index is not None else unindexed()
    return tuple(function.qualname for function in module.functions
                 if any(_call_writes(call, vocab) for call in nodes.block_of_kind(function.body, ir.Call)))


def read_only_handlers(facts: Sequence[FileFacts], keys: Iterable[str]) -> frozenset[str]:
    """Of the handlers `keys` (`module.qualname`), those whose reachable code writes nothing:
    neither their own body nor any project function the call graph reaches from it."""
    wanted = list(keys)
    if not wanted:
        return frozenset()
    known = {f"{fact.module_name}.{span.qualname}" for fact in facts for span in fact.spans}
    wanted = [key for key in wanted if key in known]
    if not wanted:
        return frozenset()
    writers = {f"{fact.module_name}.{qualname}" for fact in facts for qualname in fact.writers}
    summaries = [s for fact in facts for s in fact.summaries]
    resolvable = {key: value for fact in facts for key, value in fact.attribute_classes}
    resolvable.update((key, value) for fact in facts for key, value in fact.class_bases)
    graph = call_graph(summaries, resolvable)
    return frozenset(key for key in wanted if not _reaches_write(key, graph, writers))


def writes_through(facts: Sequence[FileFacts]) -> Callable[[str, frozenset[str]], bool]:
    """`writes(caller, names)`: does a project function that `caller` (`module.qualname`) calls under
    one of these last names write, in its own body or in what it reaches? The call graph is built
    on the first question."""
    built: list[tuple[dict[str, frozenset[str]], set[str]]] = []

    def writes(caller: str, names: frozenset[str]) -> bool:
        if not built:
            writers = {f"{fact.module_name}.{qualname}" for fact in facts for qualname in fact.writers}
            resolvable = {key: value for fact in facts for key, value in fact.attribute_classes}
            resolvable.update((key, value) for fact in facts for key, value in fact.class_bases)
            built.append((call_graph([s for fact in facts for s in fact.summaries], resolvable), writers))
        graph, writers = built[0]
        return any(_reaches_write(target, graph, writers) for target in graph.get(caller, ())
                   if target.rsplit(".", 1)[-1] in names)
    return writes


_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def declares_read(qualname: str, path: str) -> bool:
    """The handler's name, its class's, or its route's last literal segment says it reads
    (`get_server_info`, `Search.post`, `MarkdownPreview`, `/list_types`) and names no write: the
    second signal, beside code that writes nothing, that a POST is an RPC-style read, a search or a
    preview. A stub named for a write (`create_transfer` returning a constant), or one whose name
    says nothing, is still taken as changing state. The HTTP method a class-based view's method is
    named for says nothing of its purpose."""
    literal = [part for part in path.split("/") if part and not part.startswith(("<", "{", ":"))]
    names = [part for part in qualname.replace("<locals>", "").split(".") if part and not part.startswith("<")]
    said = {w for name in names + literal[-1:] for w in words(name)} - _HTTP_METHODS
    vocab = vocabulary()
    return bool(said & vocab.reads) and not said & vocab.verbs


def _reaches_write(start: str, graph: dict[str, frozenset[str]], writers: set[str]) -> bool:
    seen = {start}
    frontier = [start]
    for _ in range(_MAX_DEPTH):
        if writers.intersection(frontier):
            return True
        frontier = [callee for key in frontier for callee in graph.get(key, ()) if callee not in seen]
        seen.update(frontier)
        if not frontier:
            return False
    return True  # deeper than followed: not shown to write nothing


def _call_writes(call: ir.Call, vocab: StateVocabulary) -> bool:
    func = call.func
    last = func.attr if isinstance(func, ir.Attr) else func.id if isinstance(func, ir.Name) else ""
    receiver = (ir.dotted_name(func.value) or "") if isinstance(func, ir.Attr) else ""
    if not last or last in vocab.response_only or receiver in vocab.response_receivers:
        return False
    if last in vocab.statements:
        return any(isinstance(arg, ir.Const) and isinstance(arg.value, str) and bool(_SQL_WRITE.search(arg.value))
                   for arg in call.args)
    return bool(set(words(last)) & vocab.verbs)


