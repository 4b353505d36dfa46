"""`_access.flow_origins` follows many flows in one walk: per source call it must hold what
`flow_names(body, set(), that call)` holds (unbounded-query's forwarders), and
`_presented.param_locals`, which follows every parameter's flow with it, must answer
must be the one each parameter's own `_access.flow_names` gives: a local fed by exactly one
parameter maps to it, a local two parameters feed is left out. Checked on every function of every
Python file under tests/fixtures, tests/projects and examples/, with and without the file index,
and on inline shapes the fixtures may not spell (a chain through two passes, a stop, a shared local)."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens import ir
from servicelens.analysis.file_index import build_index
from servicelens.lang.python import lower_module
from servicelens.rules.python._access import bound_values, flow_names, flow_origins
from servicelens.rules.python._presented import _kept, local_names, param_locals
from servicelens.sources.parsing import ParserPool

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for top in ("tests/fixtures", "tests/projects", "examples") for p in (ROOT / top).rglob("*.py"))
_PARSERS = ParserPool()


def _by_each_parameter(function: ir.Function, parameters: frozenset[str], index) -> dict[str, str]:  # noqa: ANN001
    """The definition: one `flow_names` per parameter, a local kept when one parameter alone feeds it."""
    out: dict[str, str] = {}
    shared: set[str] = set()
    own = local_names(function)
    for name in parameters:
        for local in flow_names(function.body, {name}, lambda _: False, lambda value: not _kept(value, own),
                                index) - {name}:
            if local in parameters:
                continue
            if local in out and out[local] != name:
                shared.add(local)
            out[local] = name
    return {local: name for local, name in out.items() if local not in shared}


def _module(text: str) -> ir.Module:
    return lower_module(_PARSERS.parse("python", text.encode("utf-8", "surrogateescape")).root_node, "m.py",
                        tuple(text.splitlines()))


def _check(module: ir.Module) -> int:
    index = build_index(module)
    for function in module.functions:
        params = frozenset(p.name for p in function.params if p.kind == "positional") - {"self", "cls"}
        if not params:
            continue
        for given in (index, None):
            assert param_locals(function, params, given) == _by_each_parameter(function, params, given), \
                (module.path, function.qualname)
    for function in module.functions:
        calls = [n for value in bound_values(function.body) for n in ir.walk_expr(value) if type(n) is ir.Call]
        holders = flow_origins(function.body, sources={id(c): id(c) for c in calls}, index=index)
        for call in calls:
            held = {name for name, found in holders.items() if id(call) in found}
            assert held == flow_names(function.body, set(), lambda e, c=call: e is c, index=index), \
                (module.path, function.qualname, call.line)
    return len(module.functions)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_joint_flow_equals_one_flow_per_parameter(path: Path) -> None:
    _check(_module(path.read_text("utf-8", errors="surrogateescape")))


def test_inline_shapes() -> None:
    module = _module(
        "def verify(header, secret, other):\n"
        "    for item in late:\n"
        "        used = item\n"
        "    late = parts\n"  # bound after its use: found on the second pass
        "    parts = header.split(',')\n"
        "    ts, sig = parts[0], parts[1]\n"
        "    digest = hmac.new(secret, ts).hexdigest()\n"  # computed: stops the flow
        "    both = header or other\n"
        "    mixed = other.strip() + sig\n"  # two parameters feed it: left out
        "    return sig == digest\n")
    _check(module)
    function = module.functions[0]
    found = param_locals(function, frozenset({"header", "secret", "other"}), build_index(module))
    assert found["parts"] == "header" and found["sig"] == "header" and found["ts"] == "header"
    assert "digest" not in found and "mixed" not in found
