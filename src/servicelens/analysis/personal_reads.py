"""Read routes whose response carries people's private data: what makes an open GET a sensitive
endpoint (missing-authentication's second half, beside state changes).

A handler serves a field when the field's name is a key of a dict it returns, a key or attribute
it reads inside what it returns (`{"dob": r["date_of_birth"]}`, `[p.passport_number for p in
rows]`), or one read into a value it then returns (`rows.append({...})`; `data = {...}; return
data`). What is served is judged by the field's name, in kinds that are private to a person
whoever reads them (a birth date, an identity document's number, bank or card details, health
records, credentials); a contact field (e-mail, phone) counts only beside one of those, since a
public page shows an organisation's address. Parsing the request (`request.args["email"]`) and
query conditions are not the response, and are not read.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.endpoints.route import RouteFact

# kind -> names (lower case, `_`/`-` removed) of fields that hold it
_KINDS: dict[str, frozenset[str]] = {
    "birth date": frozenset({"dob", "dateofbirth", "birthdate", "birthday", "birthdt"}),
    "identity document": frozenset({"passport", "passportno", "passportnumber", "documentnumber", "documentno",
                                    "nationalid", "nationalidnumber", "ssn", "socialsecuritynumber", "taxid",
                                    "driverslicense", "driverlicense", "nationalinsurancenumber"}),
    "bank or card details": frozenset({"iban", "accountnumber", "bankaccount", "bankaccountnumber", "cardnumber",
                                       "routingnumber", "sortcode"}),
    "health record": frozenset({"diagnosis", "diagnoses", "medicalhistory", "bloodtype"}),
    # a publishable key (a maps or payments front-end key) is served on purpose: only what signs or logs in
    "credential": frozenset({"password", "passwordhash", "hashedpassword", "secretkey", "privatekey",
                             "clientsecret", "otpsecret", "totpsecret"}),
}
_CONTACT = frozenset({"email", "emailaddress", "phone", "phonenumber", "mobile", "mobilenumber", "homeaddress",
                      "streetaddress"})
_SEPARATORS = re.compile(r"[_\-\s]")


def field_kind(name: str) -> str:
    """The private kind a field's name holds ("" for none; "contact" for an e-mail or phone)."""
    key = _SEPARATORS.sub("", name).lower()
    for kind, names in _KINDS.items():
        if key in names:
            return kind
    return "contact" if key in _CONTACT else ""


def personal_reads(module: ir.Module, routes: tuple[RouteFact, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(handler qualname, the private fields it serves, sorted) for this module's read routes that
    serve a private kind: a contact field only beside another kind."""
    functions = {f.qualname: f for f in module.functions}
    found: dict[str, tuple[str, ...]] = {}
    for route in routes:
        function = functions.get(route.qualname)
        if function is None or "GET" not in route.methods or route.qualname in found:
            continue
        fields = sorted({name for name in _served_names(function) if field_kind(name)})
        kinds = {field_kind(name) for name in fields}
        if kinds - {"contact"}:
            found[route.qualname] = tuple(fields)
    return tuple(found.items())


def _served_names(function: ir.Function) -> Iterable[str]:
    """Field names in what the function returns, and in the values it builds into what it returns."""
    returned = [stmt.value for stmt in ir.walk_stmts(function.body)
                if isinstance(stmt, ir.Return) and stmt.value is not None]
    carried = {node.id for value in returned for node in ir.walk_expr(value) if isinstance(node, ir.Name)}
    parts = list(returned)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None \
                and any(isinstance(t, ir.Name) and t.id in carried for t in stmt.targets):
            parts.append(stmt.value)
        elif isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
                and isinstance(stmt.value.func, ir.Attr) and stmt.value.func.attr in ("append", "extend", "update") \
                and isinstance(stmt.value.func.value, ir.Name) and stmt.value.func.value.id in carried:
            parts.extend(stmt.value.args)
    for part in parts:
        yield from _value_names(part, 0)


# calls whose answer says something about a value without serving it (`bool(user.password_hash)`)
_PREDICATES = frozenset({"bool", "len", "isinstance", "hash", "any", "all", "callable", "id", "type"})
_DEPTH = 12


def _value_names(expr: ir.Expr, depth: int) -> Iterable[str]:
    """The field names a served value carries: dict keys, and the attributes and keys read where
    a value is placed (a dict's values, a list's items, a comprehension's element, what a call is
    handed or called on: `r["date_of_birth"].isoformat()`, `str(p.passport_number)`). Conditions
    (`if p.password_hash`, `x is None`) and predicates (`bool(...)`) serve nothing."""
    if depth > _DEPTH:
        return
    kind = type(expr)
    if kind is ir.Attr:
        if not _reads_request(expr.value):
            yield expr.attr
        yield from _value_names(expr.value, depth + 1)
    elif kind is ir.Subscript:
        if isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str) and not _reads_request(expr.value):
            yield expr.index.value
    elif kind is ir.DictExpr:
        # a key whose value is a literal serves nothing (`"password": None` tells a peer there is none)
        yield from (key.value for key, value in zip(expr.keys, expr.values)
                    if isinstance(key, ir.Const) and isinstance(key.value, str) and not isinstance(value, ir.Const))
        for value in expr.values:
            yield from _value_names(value, depth + 1)
    elif kind is ir.Seq:
        for element in expr.elts:
            yield from _value_names(element, depth + 1)
    elif kind is ir.Comprehension:
        yield from _value_names(expr.elt, depth + 1)
        if expr.value is not None:
            yield from _value_names(expr.value, depth + 1)
    elif kind is ir.Call:
        if ir.last_name(expr.func) in _PREDICATES:
            return
        if isinstance(expr.func, ir.Attr):
            yield from _value_names(expr.func.value, depth + 1)
        for arg in expr.args:
            yield from _value_names(arg, depth + 1)
        for keyword in expr.kwargs:
            if keyword.name is not None and not _reads_request(keyword.value):
                yield keyword.name
            yield from _value_names(keyword.value, depth + 1)
    elif kind in (ir.Await, ir.Starred):
        yield from _value_names(expr.value, depth + 1)
    elif kind is ir.IfExp:
        yield from _value_names(expr.body, depth + 1)
        yield from _value_names(expr.orelse, depth + 1)
    elif kind is ir.FormattedString:
        for part in expr.parts:
            yield from _value_names(part, depth + 1)


def _reads_request(expr: ir.Expr) -> bool:
    """`request.args`, `request.match_info`, `self.request.GET`: what the client sent, not what is served."""
    names = []
    node = expr
    while isinstance(node, (ir.Attr, ir.Subscript, ir.Call)):
        if isinstance(node, ir.Attr):
            names.append(node.attr)
        node = node.value if isinstance(node, (ir.Attr, ir.Subscript)) else node.func
    if isinstance(node, ir.Name):
        names.append(node.id)
    return any(name in ("request", "req") for name in names)
