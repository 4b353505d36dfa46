"""Dispatches the code skeleton to the stack's generator."""
from __future__ import annotations

from typing import Any

from servicelens.design import codegen_express, codegen_go, codegen_java, codegen_python
from servicelens.design.codegen_common import Context
from servicelens.design.codeplan import HandlerPlan, key_operations, plan_handler
from servicelens.model.design import GeneratedFile

_FILES = {
    "fastapi": ("app/main.py", "python", codegen_python.generate),
    "express": ("src/app.ts", "typescript", codegen_express.generate),
    "spring": ("src/main/java/com/example/api/KeyEndpoints.java", "java", codegen_java.generate),
    "go": ("api/handlers.go", "go", codegen_go.generate),
}
STACKS = tuple(_FILES)


def generate_code(ctx: Context, ops: list[dict[str, Any]], tables: list[dict[str, Any]], primary: str) -> tuple[tuple[GeneratedFile, ...], list[HandlerPlan]]:
    by_name = {t["name"]: t for t in tables}
    plans = [plan_handler(op, by_name) for op in key_operations(ops, primary)]
    path, language, gen = _FILES[ctx.stack]
    return (GeneratedFile(path, language, gen(ctx, plans)),), plans
