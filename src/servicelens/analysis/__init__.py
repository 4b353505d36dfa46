"""Analyses: pure functions from project facts to findings, one module per family."""
