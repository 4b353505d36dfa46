"""Why a finding matters and how to fix it, from the guidance data, adapted to the file.

For SQL built by string formatting the fix is written against the offending line itself
(the query becomes parameterised with the same variables); otherwise the framework's
example from data/guidance.yaml is shown.
"""
from __future__ import annotations

import re

from servicelens.guidance import fix_example, load_guidance
from servicelens.model.finding import Fix

_FSTRING_SQL = re.compile(r"""(?P<call>\.\s*(execute|executemany|raw)\s*\(\s*)f(?P<q>["'])(?P<body>.*?)(?P=q)""")


def why_for(concern: str) -> str:
    return load_guidance()[concern].why


def fix_for(concern: str, framework: str, code: str) -> Fix:
    guidance = load_guidance()[concern]
    if concern == "sql-injection":
        rewritten = _parameterise(code, framework)
        if rewritten:
            return Fix(guidance.fix, rewritten, "python")
    example = fix_example(concern, framework)
    return Fix(guidance.fix, example.good.rstrip() if example else "", _language_of(framework))


def _parameterise(code: str, framework: str) -> str | None:
    """`cur.execute(f"... {x} ...")` -> `cur.execute("... %s ...", (x,))`."""
    match = _FSTRING_SQL.search(code)
    if not match:
        return None
    names: list[str] = []

    def hole(m: re.Match[str]) -> str:
        names.append(m.group(1).split("!")[0].split(":")[0].strip())
        return "%s"

    body = re.sub(r"'?\{([^{}]+)\}'?", hole, match.group("body"))
    if not names:
        return None
    placeholder = "%s"
    params = ", ".join(names) + ("," if len(names) == 1 else "")
    start, end = match.span()
    rest = code[end:]
    return f'{code[:start]}{match.group("call")}"{body.replace("%s", placeholder)}", ({params}){rest}'


def _language_of(framework: str) -> str:
    if framework in ("flask", "django", "fastapi", "python", "sqlalchemy"):
        return "python"
    return {"express": "javascript", "nestjs": "typescript", "spring": "java", "go": "go",
            "dockerfile": "dockerfile", "kubernetes": "yaml", "compose": "yaml", "openapi": "yaml"}.get(framework, "")
