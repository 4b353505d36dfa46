"""The guidance data: complete for the taxonomy, examples that parse, explain output."""
from __future__ import annotations

import ast
import re

import pytest
import yaml

from servicelens.guidance import (
    FRAMEWORK_LANGUAGES, Example, GuidanceError, fix_example, load_guidance, parse_guidance,
    resolve_example,
)
from servicelens.model.concerns import load_taxonomy
from servicelens.render.explain import render_explain

TAXONOMY = load_taxonomy()
GUIDANCE = load_guidance()

# The taint concerns of taxonomy.md ("untrusted data reaching a dangerous sink").
TAINT = ("sql-injection", "nosql-injection", "command-injection", "code-injection",
         "template-injection", "path-traversal", "ssrf", "xss", "open-redirect", "ldap-injection",
         "xpath-injection", "xxe", "insecure-deserialization", "header-injection", "trust-boundary",
         "redos")

DOCKERFILE_INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
    "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}


def _examples(language: str) -> list[tuple[str, str, str, str]]:
    """(concern, framework, 'bad'|'good', code) for every example in `language`."""
    return [(cid, fw, kind, getattr(ex, kind))
            for cid, g in GUIDANCE.items()
            for fw, ex in g.examples.items() if FRAMEWORK_LANGUAGES[fw] == language
            for kind in ("bad", "good")]


def _ids(cases: list[tuple[str, str, str, str]]) -> list[str]:
    return [f"{cid}-{fw}-{kind}" for cid, fw, kind, _ in cases]


PYTHON = _examples("python")
YAML = _examples("yaml")
DOCKERFILE = _examples("dockerfile")


def test_guidance_covers_exactly_the_taxonomy() -> None:
    assert list(GUIDANCE) == list(TAXONOMY.ids())


@pytest.mark.parametrize("cid", TAXONOMY.ids())
def test_entry_is_complete(cid: str) -> None:
    g = GUIDANCE[cid]
    assert g.concern == cid
    for text in (g.title, g.what, g.why, g.fix):
        assert text.strip()
        assert text.count("`") % 2 == 0, "code spans in prose must be closed (it is rendered as Markdown)"
    assert len(g.title) <= 70, "titles are short noun phrases used in finding titles"
    assert g.examples, "at least one example"
    for framework, example in g.examples.items():
        assert example.bad.strip() != example.good.strip(), framework
    assert g.references and all(url.startswith("https://") for url in g.references)
    assert len(set(g.references)) == len(g.references)


@pytest.mark.parametrize("cid", [c for c in TAXONOMY.ids() if TAXONOMY[c].cwe])
def test_references_include_the_primary_cwe(cid: str) -> None:
    primary = TAXONOMY[cid].cwe[0]
    assert f"https://cwe.mitre.org/data/definitions/{primary}.html" in GUIDANCE[cid].references


def test_cwe_references_are_the_concerns_own() -> None:
    for cid, g in GUIDANCE.items():
        cited = {int(m) for url in g.references for m in re.findall(r"cwe\.mitre\.org/data/definitions/(\d+)", url)}
        assert cited <= set(TAXONOMY[cid].cwe), cid


@pytest.mark.parametrize("cid", TAINT)
def test_taint_concerns_have_the_three_python_web_frameworks(cid: str) -> None:
    assert TAXONOMY[cid].category.value == "security"
    assert {"flask", "django", "fastapi"} <= set(GUIDANCE[cid].examples)


def test_stack_coverage_by_category() -> None:
    for cid in TAXONOMY.ids():
        category = TAXONOMY[cid].category.value
        examples = GUIDANCE[cid].examples
        if category in ("performance", "scalability", "reliability"):
            assert "django" in examples, cid
            assert fix_example(cid, "fastapi") is not None, cid
            assert fix_example(cid, "python") is not None, cid
        elif category == "operations":
            assert {"kubernetes", "compose"} <= set(examples), cid
        elif category == "api-design":
            assert "openapi" in examples, cid


@pytest.mark.parametrize(("cid", "framework", "kind", "source"), PYTHON, ids=_ids(PYTHON))
def test_python_examples_parse(cid: str, framework: str, kind: str, source: str) -> None:
    ast.parse(source, filename=f"{cid}/{framework}/{kind}")
    # compile() also rejects what only the compiler notices (return or await outside a function)
    compile(source, f"{cid}/{framework}/{kind}", "exec", dont_inherit=True)


@pytest.mark.parametrize(("cid", "framework", "kind", "source"), YAML, ids=_ids(YAML))
def test_yaml_examples_parse(cid: str, framework: str, kind: str, source: str) -> None:
    documents = list(yaml.safe_load_all(source))
    assert documents and all(isinstance(doc, (dict, list)) for doc in documents)


@pytest.mark.parametrize(("cid", "framework", "kind", "source"), DOCKERFILE, ids=_ids(DOCKERFILE))
def test_dockerfile_examples_are_instructions(cid: str, framework: str, kind: str, source: str) -> None:
    logical = re.sub(r"\\\n", " ", source)
    lines = [line.strip() for line in logical.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert lines and lines[0].split()[0].upper() == "FROM"
    for line in lines:
        assert line.split()[0].upper() in DOCKERFILE_INSTRUCTIONS, line


def test_all_examples_are_short() -> None:
    for cid, g in GUIDANCE.items():
        for framework, example in g.examples.items():
            for code in (example.bad, example.good):
                assert len(code.strip().splitlines()) <= 14, (cid, framework)


def test_fix_example_prefers_the_framework_then_falls_back() -> None:
    sql = GUIDANCE["sql-injection"].examples
    assert fix_example("sql-injection", "django") == sql["django"]
    assert fix_example("sql-injection", "Django") == sql["django"]
    assert fix_example("sql-injection", "drf") == sql["django"]
    assert fix_example("sql-injection", "starlette") == sql["fastapi"]
    # a concern with only a plain-Python example serves every Python framework
    assert fix_example("high-complexity", "fastapi") == GUIDANCE["high-complexity"].examples["python"]
    assert fix_example("high-complexity", "django") == GUIDANCE["high-complexity"].examples["python"]
    # fastapi falls back through sqlalchemy before plain python
    index = GUIDANCE["missing-index"].examples
    assert resolve_example("missing-index", "fastapi") == ("sqlalchemy", index["sqlalchemy"])
    assert resolve_example("missing-index", "python") == ("sqlalchemy", index["sqlalchemy"])


def test_fix_example_never_crosses_languages() -> None:
    assert fix_example("high-complexity", "go") is None
    assert fix_example("high-complexity", "express") is None
    assert fix_example("sql-injection", "") is None
    assert fix_example("sql-injection", "cobol") is None
    assert fix_example("api-unversioned", "django") is None
    nest = fix_example("sql-injection", "nestjs")
    assert nest == GUIDANCE["sql-injection"].examples["express"]


def test_fix_example_unknown_concern_is_an_error() -> None:
    with pytest.raises(KeyError):
        fix_example("no-such-concern", "django")


def test_example_type() -> None:
    example = fix_example("sql-injection", "python")
    assert isinstance(example, Example)
    assert "%s" in example.good


def _raw() -> dict:
    return {cid: {"title": g.title, "what": g.what, "why": g.why, "fix": g.fix,
                  "examples": {fw: {"bad": e.bad, "good": e.good} for fw, e in g.examples.items()},
                  "references": list(g.references)}
            for cid, g in GUIDANCE.items()}


def test_validation_names_missing_and_unknown_concerns() -> None:
    raw = _raw()
    del raw["sql-injection"]
    raw["sql-injektion"] = raw["xss"]
    with pytest.raises(GuidanceError) as error:
        parse_guidance(raw, TAXONOMY.ids())
    assert "sql-injection" in str(error.value) and "sql-injektion" in str(error.value)


def test_validation_rejects_bad_entries() -> None:
    raw = _raw()
    raw["xss"]["why"] = " "
    raw["ssrf"]["examples"] = {"rails": {"bad": "x", "good": "y"}}
    raw["redos"]["examples"]["python"] = {"bad": "x"}
    raw["xxe"]["references"] = ["cwe 611"]
    with pytest.raises(GuidanceError) as error:
        parse_guidance(raw, TAXONOMY.ids())
    message = str(error.value)
    for part in ("xss: 'why'", "ssrf: unknown example framework 'rails'", "redos: example 'python'", "xxe: 'references'"):
        assert part in message


def test_validation_accepts_the_shipped_data() -> None:
    assert parse_guidance(_raw(), TAXONOMY.ids()).keys() == GUIDANCE.keys()


@pytest.mark.parametrize("cid", TAXONOMY.ids())
def test_render_explain_names_everything(cid: str) -> None:
    info, g = TAXONOMY[cid], GUIDANCE[cid]
    text = render_explain(g, info)
    assert text.startswith(f"# {cid}: {g.title}\n")
    for cwe in info.cwe:
        assert f"[CWE-{cwe}](https://cwe.mitre.org/data/definitions/{cwe}.html)" in text
    if not info.cwe:
        assert "none assigned" in text
    assert info.category.value in text and info.default_severity.value in text
    assert g.what in text and g.why in text and g.fix in text
    for url in g.references:
        assert url in text
    assert text.count("**Bad**") == text.count("**Good**") == len(g.examples)
    assert text.count("```") % 2 == 0


def test_render_explain_fences_and_framework_filter() -> None:
    g, info = GUIDANCE["sql-injection"], TAXONOMY["sql-injection"]
    text = render_explain(g, info)
    assert "### Django" in text and "```python" in text and "```go" in text and "```java" in text
    only = render_explain(g, info, framework="django")
    assert "### Django" in only and "### Flask" not in only and only.count("**Bad**") == 1
    fallback = render_explain(g, info, framework="cobol")
    assert fallback.count("**Bad**") == len(g.examples)
    yaml_text = render_explain(GUIDANCE["single-replica"], TAXONOMY["single-replica"])
    assert "```yaml" in yaml_text and "CWE-400" in yaml_text


def test_render_explain_rejects_mismatched_concern() -> None:
    with pytest.raises(ValueError):
        render_explain(GUIDANCE["xss"], TAXONOMY["sql-injection"])


def test_blocking_call_in_async_has_no_cwe_but_renders() -> None:
    text = render_explain(GUIDANCE["blocking-call-in-async"], TAXONOMY["blocking-call-in-async"])
    assert "none assigned" in text and "CWE-" not in text
