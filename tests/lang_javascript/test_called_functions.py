"""The pieces the called-function lifts share: what a function body sends and returns
(`_answers.carried`) and which parameters it leaves idle (`_object_lookups.idle_params`)."""
from __future__ import annotations

from servicelens import ir
from servicelens.rules.javascript import _answers
from servicelens.rules.javascript import _object_lookups as lookups
from tests.lang_javascript.lowering_helpers import lower


def _function(source: str, name: str) -> ir.Function:
    module = lower(source, "svc.js")
    return next(f for f in module.functions if f.name == name)


def _origins(function: ir.Function) -> tuple[set[str], set[str]]:
    def origin(call: ir.Call) -> frozenset[str]:
        return frozenset({ir.dotted_name(call.func) or "?"})

    sent, returned = _answers.carried(function.body, origin)
    return set(sent), set(returned)


def test_rows_returned_through_variables_parts_and_envelopes() -> None:
    source = """
async function list(id) {
  const rows = await repo.byParent(id);
  const page = rows.slice(0, 10);
  return { items: page, total: count(id) };
}
"""
    sent, returned = _origins(_function(source, "list"))
    assert sent == set()
    assert returned == {"repo.byParent", "count"}


def test_a_scalar_read_off_the_rows_carries_nothing() -> None:
    source = """
async function summary(id) {
  const rows = await repo.byParent(id);
  return { total: rows.length };
}
"""
    assert _origins(_function(source, "summary")) == (set(), set())


def test_what_a_handler_sends() -> None:
    source = """
async function show(req, res) {
  const result = await svc.load(req.params.id);
  res.status(200).json({ data: result.rows });
}
"""
    assert _origins(_function(source, "show"))[0] == {"svc.load"}


def test_a_caller_only_logged_is_idle_one_compared_is_not() -> None:
    source = """
async function get(id, user) {
  logger.info({ id, user: user.id }, 'read');
  return Note.findById(id);
}
async function pin(id, user) {
  const note = await Note.findById(id);
  if (note.owner !== user.id) throw new Error('not found');
  return note;
}
"""
    assert lookups.idle_params(_function(source, "get")) == frozenset({1})
    assert lookups.idle_params(_function(source, "pin")) == frozenset()
