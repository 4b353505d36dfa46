"""Why a finding matters and how to fix it, from the guidance data, adapted to the file.

For SQL built by string formatting the fix is written against the offending line itself
(the query becomes parameterised with the same variables); otherwise the framework's
example from data/guidance.yaml is shown.
"""
from __future__ import annotations

import re

from servicelens.guidance import fix_example, load_guidance
from servicelens.model.finding import Fix

_FSTRING_SQL = re.compile(r"""(?P<call>\.\s*(execute|executemany|raw|fetch|fetchrow)\s*\(\s*)f(?P<q>["'])(?P<body>.*?)(?P=q)""")
_FSTRING = re.compile(r"""\bf(?P<q>["'])(?P<body>.*?)(?P=q)""")
_SQL_WORDS = re.compile(r"(?i)\b(select|insert|update|delete|where|from)\b")


def why_for(concern: str) -> str:
    return load_guidance()[concern].why


def fix_for(concern: str, framework: str, code: str, built_at: tuple[str, int, str] | None = None) -> Fix:
    """`built_at`: (path, line, code) of the step that builds the dangerous text, when it is
    not the sink line itself (a helper executes what a caller formatted)."""
    guidance = load_guidance()[concern]
    if concern == "sql-injection":
        for candidate in ((code,) + ((built_at[2],) if built_at else ())):
            rewritten = _parameterise(candidate)
            if rewritten:
                return Fix(guidance.fix, rewritten, "python")
        if built_at is not None:
            where = f" The SQL text is built at `{built_at[0]}:{built_at[1]}`: change it there and pass the values separately."
            example = fix_example(concern, framework)
            return Fix(guidance.fix + where, example.good.rstrip() if example else "", "python")
    example = fix_example(concern, framework)
    return Fix(guidance.fix, example.good.rstrip() if example else "", _language_of(framework))


def _parameterise(code: str) -> str | None:
    """`cur.execute(f"... '{x}' ...")` -> `cur.execute("... %s ...", (x,))`: each interpolated
    value becomes a parameter; a quoted literal around it becomes one placeholder."""
    match = _FSTRING_SQL.search(code)
    if not match:
        return None
    params: list[str] = []

    def quoted(m: re.Match[str]) -> str:
        inner = m.group(1)
        holes = re.findall(r"\{([^{}]+)\}", inner)
        if not holes:
            return m.group(0)
        params.append(_expr(holes[0]) if re.fullmatch(r"\{[^{}]+\}", inner) else f'f"{inner}"')
        return "%s"

    body = re.sub(r"'([^']*\{[^{}]+\}[^']*)'", quoted, match.group("body"))

    def bare(m: re.Match[str]) -> str:
        params.append(_expr(m.group(1)))
        return "%s"

    body = re.sub(r"\{([^{}]+)\}", bare, body)
    if not params:
        return None
    joined = ", ".join(params) + ("," if len(params) == 1 else "")
    start, end = match.span()
    return f'{code[:start]}{match.group("call")}"{body}", ({joined}){code[end:]}'


def _expr(hole: str) -> str:
    return hole.split("!")[0].split(":")[0].strip()


def _language_of(framework: str) -> str:
    if framework in ("flask", "django", "fastapi", "python", "sqlalchemy"):
        return "python"
    return {"express": "javascript", "nestjs": "typescript", "spring": "java", "go": "go",
            "dockerfile": "dockerfile", "kubernetes": "yaml", "compose": "yaml", "openapi": "yaml"}.get(framework, "")
