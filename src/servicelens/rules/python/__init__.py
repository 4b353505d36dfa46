"""Structural rules for Python code; each module is one rule with its docs in the docstring."""
