"""access.server_rebound: which client names a handler has bound again from the server's values
on every path to one statement (the data-origin narrowing the access rules take their client ids from)."""
from __future__ import annotations

from textwrap import dedent

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool
from servicelens.rules.python import _access as access


def _rebound(source: str, marker: str = "lookup(") -> frozenset[str]:
    text = dedent(source)
    module = lower_module(ParserPool().parse("python", text.encode()).root_node, "views.py", tuple(text.splitlines()))
    function = module.functions[0]
    target = next(s for s in ir.walk_stmts(function.body) if marker in module.line_text(s.line))
    # as the rules ask: a row the database returned for the client's key is judged at its own lookup
    names = access.flow_names(function.body, {p.name for p in function.params}, access.is_request_data,
                              stops=lambda v: isinstance(v, ir.Call) and (ir.dotted_name(v.func) or "").startswith("db."))
    return access.server_rebound(function.body, target, names, access.is_request_data)


def test_rebound_in_the_loop_body_before_the_lookup():
    assert _rebound("""
        def view(id):
            row = db.get(id)
            for student in row["students"]:
                id = f"{student}-{row['level']}"
                found = lookup(id)
        """) == {"id"}


def test_rebound_through_a_copy():
    assert _rebound("""
        def view(record_id):
            record_id = config["DEFAULT"]
            key_id = record_id
            found = lookup(key_id)
        """) == {"record_id", "key_id"}


def test_loop_target_over_server_values():
    assert _rebound("""
        def view(record_id):
            for record_id in db.recent_ids():
                found = lookup(record_id)
        """) == {"record_id"}


def test_branch_or_client_value_or_later_loop_binding_keep_the_client():
    assert _rebound("""
        def view(record_id):
            if request.args.get("latest"):
                record_id = db.latest()
            found = lookup(record_id)
        """) == frozenset()
    assert _rebound("""
        def view(record_id):
            record_id = db.latest()
            record_id = request.args.get("record", record_id)
            found = lookup(record_id)
        """) == frozenset()
    assert _rebound("""
        def view(record_id):
            record_id = record_id.strip()
            found = lookup(record_id)
        """) == frozenset()
    assert _rebound("""
        def view(record_id):
            for _ in range(3):
                found = lookup(record_id)
                record_id = db.next_id()
        """) == frozenset()
