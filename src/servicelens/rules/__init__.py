"""Rules over the IR: one module per rule, each exposing `RULE`, discovered by package walk.

Taint concerns (SQL injection, SSRF, ...) are not rules: they come from framework models
(servicelens/models) through the taint engine. Rules here are the structural checks.
"""
