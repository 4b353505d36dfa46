"""Does the skeleton get past the stack's own compiler? A tree-sitter parse accepts code a
compiler rejects (a `return` outside a function, a Java statement where only declarations
may stand), so the self-check also hands each file to the real toolchain when one is
installed, and says exactly what ran and what did not.

- Python: `compile()` to bytecode (the interpreter's own compiler, always present).
- Java: `javac` in its parse phase only (`-XDshould-stop.ifNoError=PARSE`): the Spring jars
  are not on this machine, so imports and types are not resolved, and the detail says so.
- TypeScript: `tsc --noEmit`, counting only syntax errors (TS1xxx), since the skeleton's
  npm dependencies are not installed; `node --check` reads JavaScript only, so without tsc
  the check is not run.
- Go: `gofmt -e` (the Go parser) when the Go toolchain is installed.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from servicelens.model.design import GeneratedFile, SelfCheck

BUILD_CHECK = "code skeleton accepted by its stack's own compiler (what ran is listed)"
_TIMEOUT_S = 120


@dataclass(frozen=True, slots=True)
class BuildResult:
    """One file: `ran` is False when no toolchain could judge it; `errors` empty means clean."""

    path: str
    tool: str
    ran: bool
    errors: tuple[str, ...] = ()
    note: str = ""


def check_build(files: tuple[GeneratedFile, ...], which=shutil.which) -> SelfCheck:
    """`which` finds a tool on PATH (a parameter so tests can take a toolchain away)."""
    results = [build_file(f, which) for f in files if f.language in _BUILDERS]
    if not results:
        return SelfCheck(BUILD_CHECK, "not-run", ("no code files generated",))
    details = tuple(_describe(r) for r in results)
    if any(r.ran and r.errors for r in results):
        return SelfCheck(BUILD_CHECK, "failed", details)
    if not any(r.ran for r in results):
        return SelfCheck(BUILD_CHECK, "not-run", details)
    return SelfCheck(BUILD_CHECK, "passed", details)


def build_file(f: GeneratedFile, which=shutil.which) -> BuildResult:
    return _BUILDERS[f.language](f, which)


def _python(f: GeneratedFile, which) -> BuildResult:
    try:
        compile(f.content, f.path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return BuildResult(f.path, "Python compile()", True, (f"line {exc.lineno}: {exc.msg}",))
    return BuildResult(f.path, "Python compile() to bytecode", True)


@dataclass(frozen=True, slots=True)
class _Toolchain:
    """An installed compiler or parser run on one file: which output lines are errors, and
    what the check did and did not cover (said in the self-check's details)."""

    tool: str
    argv: tuple[str, ...]  # "{tool}", "{tmp}" and "{file}" are filled in
    error_line: str  # a regex; an output line matching it is an error
    checked_as: str
    missing: str  # why nothing ran when the tool is not on PATH

    def check(self, f: GeneratedFile, which) -> BuildResult:
        path = which(self.tool)
        if not path:
            return BuildResult(f.path, self.tool, False, note=f"not run: {self.missing}")
        out = _run([a.replace("{tool}", path) for a in self.argv], f)
        if out is None:
            return BuildResult(f.path, self.tool, False, note=f"not run: {self.tool} did not finish")
        errors = tuple(line for line in out.splitlines() if re.search(self.error_line, line))
        return BuildResult(f.path, self.checked_as, True, errors[:10])


_JAVAC = _Toolchain(
    "javac", ("{tool}", "-XDshould-stop.ifNoError=PARSE", "-d", "{tmp}/classes", "{file}"), r": error:",
    "javac (parse phase only; Spring jars are not on the classpath, so imports and types were not resolved)",
    "no javac on PATH")
_TSC = _Toolchain(
    "tsc", ("{tool}", "--noEmit", "--pretty", "false", "--target", "es2022", "--module", "nodenext",
            "--skipLibCheck", "{file}"), r"error TS1\d{3}:",
    "tsc --noEmit (syntax errors only; the npm dependencies are not installed, so types were not checked)",
    "no TypeScript compiler (tsc) on PATH; node --check reads JavaScript only, so the TypeScript skeleton "
    "was parsed by tree-sitter alone")
_GOFMT = _Toolchain(
    "gofmt", ("{tool}", "-e", "-l", "{file}"), r":\d+:\d+:",
    "gofmt -e (the Go parser; modules not fetched, so types were not checked)",
    "no Go toolchain (gofmt) on PATH; the Go skeleton was parsed by tree-sitter alone")


_BUILDERS = {"python": _python, "java": _JAVAC.check, "typescript": _TSC.check, "go": _GOFMT.check}


def _run(argv: list[str], f: GeneratedFile) -> str | None:
    """Runs a tool on the file written to a temporary directory; its combined output, or
    None when it could not run to the end."""
    with tempfile.TemporaryDirectory(prefix="servicelens-build-") as tmp:
        target = Path(tmp) / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")
        args = [a.replace("{tmp}", tmp).replace("{file}", str(target)) for a in argv]
        try:
            proc = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT_S, cwd=tmp)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return (proc.stdout + proc.stderr).replace(tmp + "/", "")


def _describe(r: BuildResult) -> str:
    if not r.ran:
        return f"{r.path}: {r.note}"
    if r.errors:
        return f"{r.path}: {r.tool}: " + "; ".join(r.errors)
    return f"{r.path}: {r.tool}: no errors"
