"""Does the generated output parse? A skeleton that does not compile is not a skeleton,
and a name that broke out of its slot (an entity like `x; DROP TABLE users; --`) shows
up first as a syntax error, so the self-check parses everything it generated.

Python: `ast.parse`. TypeScript, Java, Go: the tree-sitter grammars (any ERROR or MISSING
node fails the check). SQL: SQLite in memory, statement by statement, after rewriting
the few PostgreSQL-only constructs the DDL uses; PostgreSQL's own semantics (types,
operator classes, index methods) are therefore not checked, and the details say so.
"""
from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from servicelens.model.design import GeneratedFile, SelfCheck

CODE_CHECK = "code skeleton parses"
DDL_CHECK = "SQL DDL parses and runs (SQLite, in memory)"


@dataclass(frozen=True, slots=True)
class ParseResult:
    """One file: `error` is '' when it parsed; `parser` names what judged it."""

    path: str
    parser: str
    error: str = ""
    ran: bool = True


def check_code(files: tuple[GeneratedFile, ...]) -> SelfCheck:
    results = [parse_file(f) for f in files]
    failed = [f"{r.path}: {r.error}" for r in results if r.ran and r.error]
    skipped = [f"{r.path}: not parsed ({r.error})" for r in results if not r.ran]
    passed = [f"{r.path}: parsed by {r.parser}, no errors" for r in results if r.ran and not r.error]
    if failed:
        return SelfCheck(CODE_CHECK, "failed", tuple(failed + skipped + passed))
    if not passed:
        return SelfCheck(CODE_CHECK, "not-run", tuple(skipped) or ("no code files generated",))
    return SelfCheck(CODE_CHECK, "passed", tuple(passed + skipped))


def parse_file(f: GeneratedFile) -> ParseResult:
    if f.language == "python":
        try:
            ast.parse(f.content, filename=f.path)
        except SyntaxError as exc:
            return ParseResult(f.path, "ast.parse", f"line {exc.lineno}: {exc.msg}")
        return ParseResult(f.path, "Python ast.parse")
    loader = _GRAMMARS.get(f.language)
    if loader is None:
        return ParseResult(f.path, "", f"no parser for {f.language}", ran=False)
    try:
        import tree_sitter

        language = tree_sitter.Language(loader())
    except (ImportError, AttributeError, ValueError, TypeError) as exc:
        return ParseResult(f.path, "", f"the {f.language} grammar is unavailable: {type(exc).__name__}", ran=False)
    tree = tree_sitter.Parser(language).parse(f.content.encode("utf-8"))
    parser = f"tree-sitter ({f.language} grammar)"
    bad = _first_error(tree.root_node)
    if bad is None:
        return ParseResult(f.path, parser)
    what = f"missing {bad.type}" if bad.is_missing else "syntax error"
    return ParseResult(f.path, parser, f"line {bad.start_point[0] + 1}: {what} (tree-sitter {f.language})")


def _first_error(root):
    """The first ERROR or MISSING node in document order, or None. Iterative: generated
    code is small, but a recursion limit is no way to fail a check."""
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def _typescript():
    import tree_sitter_typescript
    return tree_sitter_typescript.language_typescript()


def _java():
    import tree_sitter_java
    return tree_sitter_java.language()


def _go():
    import tree_sitter_go
    return tree_sitter_go.language()


_GRAMMARS: dict[str, Callable[[], object]] = {"typescript": _typescript, "java": _java, "go": _go}

# PostgreSQL-only spellings -> what SQLite accepts; each is named in the check's details.
_PG_REWRITES = (
    ("identity columns", re.compile(r"\s+generated always as identity\b", re.I), ""),
    ("function defaults", re.compile(r"\bdefault\s+(\w+\(\))", re.I), r"default (\1)"),
    ("index methods (USING ...)", re.compile(r"\s+using\s+\w+\s*(?=\()", re.I), " "),
    ("operator classes", re.compile(r"\s+\w+_pattern_ops\b", re.I), ""),
    ("privilege statements (REVOKE/GRANT, not run)", re.compile(r"^(?:REVOKE|GRANT)\b[^;]*;[^\n]*$", re.I | re.M), ""),
)
# PostgreSQL functions the DDL may call: declared in SQLite (returning NULL) so the column
# defaults and index expressions that use them compile; their PostgreSQL meaning is not checked.
_PG_FUNCTIONS = ("now", "to_tsvector")
_ALLOWED_STATEMENT = re.compile(r"\s*create\s+(?:unique\s+)?(?:table|index)\s", re.I)


def check_ddl(ddl: str) -> SelfCheck:
    sql, rewritten = ddl, []
    for label, pattern, replacement in _PG_REWRITES:
        sql, count = pattern.subn(replacement, sql)
        if count:
            rewritten.append(f"{label} x{count}")
    db = sqlite3.connect(":memory:")
    try:
        for name in _PG_FUNCTIONS:
            db.create_function(name, -1, _postgres_function_stand_in, deterministic=True)
        errors, statements = _run_statements(db, sql)
    finally:
        db.close()
    note = ("PostgreSQL-only parts rewritten first: " + ", ".join(rewritten)
            + "; PostgreSQL types, index methods and operator classes are not checked") if rewritten else \
        "PostgreSQL types are not checked"
    if errors:
        return SelfCheck(DDL_CHECK, "failed", tuple(errors[:20]) + (note,))
    return SelfCheck(DDL_CHECK, "passed", (f"{statements} statements (CREATE TABLE / CREATE INDEX only) ran in SQLite", note))


def _postgres_function_stand_in(*_args: object) -> None:
    return None


def _run_statements(db: sqlite3.Connection, sql: str) -> tuple[list[str], int]:
    """Statement by statement, so an error names its line; anything but CREATE TABLE or
    CREATE INDEX is itself an error (the DDL must never drop or alter anything)."""
    errors, count, pending, start = [], 0, [], 1
    for number, line in enumerate(sql.splitlines(), 1):
        if not pending:
            if not line.strip() or line.lstrip().startswith("--"):
                continue
            start = number
        pending.append(line)
        statement = "\n".join(pending)
        if not sqlite3.complete_statement(statement):
            continue
        pending = []
        count += 1
        if not _ALLOWED_STATEMENT.match(statement):
            errors.append(f"line {start}: unexpected statement {' '.join(statement.split())[:60]!r}")
            continue
        try:
            db.execute(statement)
        except sqlite3.Error as exc:
            errors.append(f"line {start}: {exc}")
    if pending:
        errors.append(f"line {start}: unterminated statement")
    return errors, count
