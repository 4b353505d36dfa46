"""`a && b!.c`: the grammar's misreading of a non-null assertion is undone before lowering."""
from __future__ import annotations

from servicelens.lang.javascript import grammar_for
from servicelens.lang.javascript.non_null import blank_misread_assertions
from servicelens.sources.parsing import ParserPool


def _blanked(source: str, rel: str = "a.ts") -> str | None:
    data = source.encode()
    tree = ParserPool().parse(grammar_for(rel), data)
    out = blank_misread_assertions(tree, grammar_for(rel), data)
    return out.decode() if out is not None else None


def test_an_assertion_read_around_a_conjunction_is_blanked_in_place() -> None:
    source = "if (req.user && req.user!.tenant !== t) deny();\n"
    assert _blanked(source) == "if (req.user && req.user .tenant !== t) deny();\n"


def test_an_assertion_read_around_arithmetic_in_tsx_is_blanked() -> None:
    source = "const v = a + b!.length;\n"
    assert _blanked(source, "a.tsx") == "const v = a + b .length;\n"


def test_a_chain_of_assertions_after_a_conjunction_is_blanked_to_the_end() -> None:
    # blanking the first `!` leaves `(a && b.c)!.d`: the second misreading appears only then
    source = "if (a && b!.c!.d) deny();\n"
    assert _blanked(source) == "if (a && b .c .d) deny();\n"


def test_a_bang_in_strings_regexes_and_strict_inequality_is_kept() -> None:
    source = "const s = 'a && b!.c';\nconst r = /a && b!.c/;\nif (x !== y && a!.b) go();\n"
    assert _blanked(source) == "const s = 'a && b!.c';\nconst r = /a && b!.c/;\nif (x !== y && a .b) go();\n"


def test_assertions_the_grammar_reads_right_are_kept() -> None:
    assert _blanked("const n = user!.name;\nconst m = (a || b)!.c;\nconst k = f()!;\nconst t = ok ? a : b!.c;\n") is None


def test_javascript_has_no_assertions_to_blank() -> None:
    assert _blanked("if (a && b) c();\n", "a.js") is None
