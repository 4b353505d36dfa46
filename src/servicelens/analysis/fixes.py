"""Why a finding matters and how to fix it: the explanation from data/guidance.yaml, the
code written against the finding's own line (see servicelens.fixcode).

For a taint finding the sink statement is rewritten for its concern (SQL parameterised
with the same variables, a shell string turned into an argument list, the redirect
target checked before the same `redirect(...)` ...). When the SQL text is built on an
earlier line, that line is rewritten and the sink passes the parameters. When no rewrite
fits the line, the fix is the explanation alone: a textbook example from another context
would look like advice about this code and is not.
"""
from __future__ import annotations

from servicelens.fixcode import sql
from servicelens.fixcode.injection import rewrite_sink
from servicelens.fixcode.source import statement
from servicelens.guidance import load_guidance
from servicelens.model.finding import Fix


def why_for(concern: str) -> str:
    return load_guidance()[concern].why


def fix_for(concern: str, framework: str, code: str, built_at: tuple[str, int, str] | None = None,
            callee: str = "") -> Fix:
    """`built_at`: (path, line, code) of the step that builds the dangerous text, when it is
    not the sink line itself (a helper executes what a caller formatted)."""
    guidance = load_guidance()[concern]
    rewritten = rewrite_sink(concern, code, callee, framework)
    if rewritten:
        return Fix(guidance.fix, rewritten, "python")
    if built_at is None:
        return Fix(guidance.fix)
    where = f" The text is built at `{built_at[0]}:{built_at[1]}`: change it there."
    if concern == "sql-injection":
        split = _split_sql(code, built_at[2])
        if split:
            return Fix(guidance.fix + where, split, "python")
    rewritten = rewrite_sink(concern, built_at[2], "", framework)
    return Fix(guidance.fix + where, rewritten or "", "python" if rewritten else "")


def _split_sql(sink_code: str, built_code: str) -> str | None:
    """`query = f"..."` on one line, `cur.execute(query)` on another: both rewritten."""
    built = statement(built_code)
    assigned = sql.parameterise_assignment(built) if built else None
    if assigned is None:
        return None
    sink = statement(sink_code)
    passed = sql.pass_params(sink, assigned[1]) if sink else None
    return f"{assigned[0]}\n{passed}" if passed else assigned[0]
