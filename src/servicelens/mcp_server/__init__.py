"""`servicelens mcp`: the review, explain and design tools for an AI coding agent, over MCP on stdio.

An agent that helps with backend work needs grounded answers: every claim backed by a
finding with file:line evidence. This package exposes servicelens.api to it as MCP tools.

    server.py    the MCP server: tool registration, parameter schemas, error mapping, stdio
    tools.py     one method per tool: review, finding, explain, design, check
    paths.py     which paths a caller may name (the allowed roots) and how they resolve
    payloads.py  the JSON shapes the tools return: findings, pages, code context
    recent.py    the small in-memory store of recent reports that `finding` and cursors read
"""
from __future__ import annotations

from servicelens.mcp_server.server import build_server, serve

__all__ = ["build_server", "serve"]
