"""analysis.javascript_side: front-end code in a service's repository gets no service rules."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.analysis.javascript_side import browser_side
from servicelens.lang.javascript import grammar_for, lower_module
from servicelens.sources.parsing import ParserPool

_FETCH = "export async function load(id) {\n  const r = await fetch(`/api/items/${id}`);\n  return r.json();\n}\n"


def _module(rel: str, text: str):
    tree = ParserPool().parse(grammar_for(rel), text.encode())
    return lower_module(tree.root_node, rel, tuple(text.splitlines()), "javascript")


def test_browser_libraries_globals_jsx_and_asset_directories_mark_front_end_code() -> None:
    assert "react" in browser_side(_module("src/list.js", "import React from 'react';\n" + _FETCH), "src/list.js")
    assert "window" in browser_side(_module("src/nav.js", "window.location.assign('/');\n"), "src/nav.js")
    assert "JSX" in browser_side(_module("web/Item.jsx", _FETCH), "web/Item.jsx")
    assert "static" in browser_side(_module("app/static/js/index.js", _FETCH), "app/static/js/index.js")


def test_a_file_importing_a_server_module_is_server_code_wherever_it_sits() -> None:
    text = "const express = require('express');\nconst router = express.Router();\nwindow = {};\n"
    assert browser_side(_module("client/server.js", text), "client/server.js") == ""
    assert browser_side(_module("src/jobs.js", "import fs from 'node:fs';\n" + _FETCH), "src/jobs.js") == ""


def test_front_end_code_gets_no_findings_while_the_same_call_on_the_server_does() -> None:
    pool = ParserPool()
    browser = analyze_javascript("static/js/items.js", _FETCH, pool)
    server = analyze_javascript("src/items.js", "import fs from 'fs';\nimport got from 'got';\n"
                                "export const load = (url) => got(url);\n", pool)
    assert browser.findings == () and browser.language == "javascript"
    assert browser.collected == ()
    # an awaited call's grade waits for the project phase (who else starts `load`), so the server's
    # finding is among what the rule hands on
    deferred = [f for _, facts in server.collected for f, _ in getattr(facts, "shared_calls", ())]
    assert any(f.concern == "missing-timeout" for f in (*server.findings, *deferred))


def test_a_named_import_names_its_package() -> None:
    """`import { Router } from 'express'` imports express; `import { useState } from 'react'` react."""
    server = "import { Router } from 'express';\nexport const router = Router();\n"
    assert browser_side(_module("client/routes.ts", server), "client/routes.ts") == ""
    browser = "import { useState } from 'react';\n" + _FETCH
    assert "react" in browser_side(_module("src/list.ts", browser), "src/list.ts")


def test_a_server_frameworks_plugin_package_marks_server_code() -> None:
    text = "import { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';\nexport const x = 1;\n"
    assert browser_side(_module("api/client/routes/x.ts", text), "api/client/routes/x.ts") == ""
    assert "client" in browser_side(_module("api/client/x.ts", "export const x = 1;\n"), "api/client/x.ts")


def test_a_components_data_fetching_hooks_mark_front_end_code() -> None:
    """A query function handed to `useQuery` / `useSWR` runs in the browser, whatever folder it sits in;
    the same fetch beside a server module stays server code."""
    query = "import { useQuery } from '@tanstack/react-query';\n" + _FETCH
    assert "@tanstack/react-query" in browser_side(_module("src/lib/queries/files.ts", query), "src/lib/queries/files.ts")
    swr = "import useSWR from 'swr';\n" + _FETCH
    assert "swr" in browser_side(_module("hooks/use-items.ts", swr), "hooks/use-items.ts")
    both = "import express from 'express';\nimport { useQuery } from '@tanstack/react-query';\n" + _FETCH
    assert browser_side(_module("src/ssr.ts", both), "src/ssr.ts") == ""
