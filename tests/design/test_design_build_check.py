"""The self-check hands each skeleton to its stack's own toolchain when one is installed,
fails on what that toolchain rejects, and says "not run" (never "passed") otherwise; the
429 every operation declares must come with its rate-limit headers in all four stacks."""
from __future__ import annotations

import shutil

import pytest

from servicelens.design.build_check import BUILD_CHECK, check_build
from servicelens.design.selfcheck import check_contract_features
from servicelens.model.design import GeneratedFile



def test_python_is_compiled_to_bytecode_and_a_compile_error_fails():
    good = check_build((GeneratedFile("app/main.py", "python", "def f():\n    return 1\n"),))
    assert good.status == "passed" and "compile()" in good.details[0]
    bad = check_build((GeneratedFile("app/main.py", "python", "return 1\n"),))  # parses, does not compile
    assert bad.status == "failed"


@pytest.mark.parametrize("path, language", [("src/app.ts", "typescript"), ("api/handlers.go", "go"),
                                            ("src/main/java/A.java", "java")])
def test_without_a_toolchain_the_check_says_not_run_and_why(path, language):
    result = check_build((GeneratedFile(path, language, "x"),), which=lambda _name: None)
    assert result.name == BUILD_CHECK and result.status == "not-run"
    assert result.details[0].startswith(f"{path}: not run: no ")


@pytest.mark.skipif(shutil.which("javac") is None, reason="needs javac")
def test_javac_rejects_a_java_syntax_error_and_says_what_it_did_not_check():
    ok = check_build((GeneratedFile("A.java", "java", "import org.example.Missing;\nclass A { int f() { return 1; } }\n"),))
    assert ok.status == "passed" and "parse phase only" in ok.details[0]
    bad = check_build((GeneratedFile("A.java", "java", "class A { int f() { return 1 } }\n"),))
    assert bad.status == "failed" and "';' expected" in bad.details[0]


@pytest.mark.parametrize("stack", ["fastapi", "express", "spring", "go"])
def test_every_stack_sends_429_with_retry_after_and_rate_limit_headers(design, stack):
    proposal = design("Couriers drop off parcels at 3,500 lockers and recipients pick them up; 600k parcels a day.",
                      stack=stack)
    features = next(c for c in proposal.self_check if c.name.startswith("declared contract features"))
    assert features.status == "passed"
    assert any("429 with Retry-After, RateLimit-Limit, RateLimit-Remaining" in d for d in features.details)
    build = next(c for c in proposal.self_check if c.name == BUILD_CHECK)
    assert build.status != "failed"


def test_a_skeleton_without_rate_limit_headers_fails_the_contract_check():
    bare = GeneratedFile("src/app.ts", "typescript", 'res.status(429).set("Retry-After", "60");')
    result = check_contract_features([], (bare,))
    assert result.status == "failed"
    assert "RateLimit-Limit, RateLimit-Remaining" in result.details[0]
