"""Taint analysis: framework models (data), per-function symbolic summaries, and a
project-wide resolution that follows flows across functions and files.

    models.py   YAML models -> ModelIndex (immutable, validated)
    values.py   the abstract values: origins, constants, container elements, tags
    consts.py   constant folding of IR expressions
    guards.py   conditions that stop bad input (early exits, allow-lists)
    intra.py    one function -> FunctionSummary (sinks, calls, returns; symbolic)
    resolve.py  all summaries -> findings, via a fixpoint over the call graph
"""
