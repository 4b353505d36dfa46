"""Dockerfile parsing into stages of instructions with exact source lines.

Handles what real Dockerfiles contain: parser directives (`# syntax=`, `# escape=`),
line continuations (with comment lines inside them, which the builder drops), heredocs
(`RUN <<EOF ... EOF`), JSON and shell forms, and multi-stage builds (`FROM x AS name`).

    text -> [Instruction(keyword, args, line, end_line, heredoc)] -> [Stage]
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_HEREDOC = re.compile(r"<<(-?)(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
_FLAG = re.compile(r"^--([a-z-]+)(?:=(\S*))?$")


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: str  # upper-cased: FROM, RUN, USER ...
    args: str  # continuation lines joined, comments dropped, heredoc bodies excluded
    line: int  # 1-based line of the keyword
    end_line: int
    heredocs: tuple[str, ...] = ()  # bodies of `<<EOF` blocks, in order

    @property
    def words(self) -> list[str]:
        """Shell-style words of the arguments; falls back to whitespace split on bad quoting."""
        try:
            return shlex.split(self.args, comments=False, posix=True)
        except ValueError:
            return self.args.split()

    @property
    def json_form(self) -> list[str] | None:
        """`["a", "b"]` exec form, or None for shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None

    @property
    def flags(self) -> dict[str, str]:
        """Leading `--name=value` options (FROM --platform, COPY --from, RUN --mount)."""
        out: dict[str, str] = {}
        for word in self.words:
            match = _FLAG.match(word)
            if not match:
                break
            out[match.group(1)] = match.group(2) or ""
        return out

    @property
    def operands(self) -> list[str]:
        """Words after the leading flags."""
        words = self.words
        while words and _FLAG.match(words[0]):
            words = words[1:]
        return words


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    base: str  # as written (ARG references substituted when they have defaults)
    alias: str
    from_line: int
    instructions: tuple[Instruction, ...]

    def last(self, keyword: str) -> Instruction | None:
        found = [i for i in self.instructions if i.keyword == keyword]
        return found[-1] if found else None

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass(frozen=True, slots=True)
class Dockerfile:
    global_args: tuple[Instruction, ...]  # ARGs before the first FROM
    stages: tuple[Stage, ...]
    escape: str = "\\"

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def stage_named(self, name: str) -> Stage | None:
        lowered = name.lower()
        for stage in self.stages:
            if stage.alias.lower() == lowered or str(stage.index) == name:
                return stage
        return None


def parse_instructions(text: str) -> tuple[list[Instruction], str]:
    """Instructions with their lines, and the escape character in force."""
    lines = text.splitlines()
    escape = _escape_directive(lines)
    out: list[Instruction] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        parts: list[str] = []
        while True:
            body = lines[i].rstrip()
            continued = body.endswith(escape)
            parts.append(body[:-1] if continued else body)
            i += 1
            if not continued:
                break
            while i < len(lines) and (lines[i].strip().startswith("#") or not lines[i].strip()):
                i += 1  # the builder drops comment and empty lines inside a continuation
            if i >= len(lines):
                break
        joined = " ".join(p.strip() for p in parts)
        keyword, _, args = joined.partition(" ")
        heredocs, i = _read_heredocs(args, lines, i)
        out.append(Instruction(keyword.upper(), args.strip(), start + 1, i, heredocs))
    return out, escape


def _escape_directive(lines: list[str]) -> str:
    """Parser directives only count in the leading comment block, before anything else."""
    for raw in lines:
        match = _DIRECTIVE.match(raw.strip())
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            return match.group(2)
    return "\\"


def _read_heredocs(args: str, lines: list[str], i: int) -> tuple[tuple[str, ...], int]:
    bodies: list[str] = []
    for match in _HEREDOC.finditer(args):
        strip_tabs, word = match.group(1) == "-", match.group(3)
        body: list[str] = []
        while i < len(lines):
            current = lines[i].lstrip("\t") if strip_tabs else lines[i]
            i += 1
            if current.strip() == word:
                break
            body.append(current)
        bodies.append("\n".join(body))
    return tuple(bodies), i


def parse_dockerfile(text: str) -> Dockerfile:
    instructions, escape = parse_instructions(text)
    global_args: list[Instruction] = []
    stages: list[tuple[Instruction, list[Instruction]]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            stages.append((ins, []))
        elif not stages:
            if ins.keyword == "ARG":
                global_args.append(ins)
        else:
            stages[-1][1].append(ins)
    defaults = arg_defaults(global_args)
    built: list[Stage] = []
    for index, (from_ins, body) in enumerate(stages):
        operands = from_ins.operands
        base = substitute(operands[0], defaults) if operands else ""
        alias = operands[2] if len(operands) >= 3 and operands[1].lower() == "as" else ""
        built.append(Stage(index, base, alias, from_ins.line, (from_ins, *body)))
    return Dockerfile(tuple(global_args), tuple(built), escape)


def arg_defaults(args: list[Instruction]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ins in args:
        for word in ins.words:
            name, eq, value = word.partition("=")
            if eq:
                out[name] = value
    return out


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace `$X`/`${X}`/`${X:-d}` with known ARG defaults; unknown ones stay as written."""
    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        default = match.group(2)
        if name in values:
            return values[name]
        return default if default is not None else match.group(0)

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)", repl, text)


def env_pairs(ins: Instruction) -> list[tuple[str, str]]:
    """`ENV A=1 B=2` or legacy `ENV A 1 2`; `ARG A` yields (A, "") with no default."""
    words = ins.words
    if not words:
        return []
    if ins.keyword == "ENV" and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    pairs = []
    for word in words:
        name, eq, value = word.partition("=")
        pairs.append((name, value if eq else ""))
    return pairs
