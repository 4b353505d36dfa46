"""Taint knowledge for JavaScript and TypeScript (read by taint/models.py like the Python files)."""
