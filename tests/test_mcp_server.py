"""`servicelens mcp` end to end: the real command as a subprocess, driven over stdio by the
MCP SDK's own client, as an agent host would. One server serves the whole module.

The server's working directory is a copy of the bundled example's parent (the default
allowed root) plus one `--root`; everything else must be refused.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "payments-service"

pytestmark = pytest.mark.anyio

PROVIDER = "payments/provider.py"
ACCOUNTS = "payments/routes/accounts.py"


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("mcp")
    work = base / "work"
    shutil.copytree(EXAMPLE, work / "payments-service")
    extra = base / "extra"
    (extra / "svc").mkdir(parents=True)
    (extra / "svc" / "client.py").write_text("import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("import requests\nrequests.get('http://x')\n")
    (work / "escape").symlink_to(outside, target_is_directory=True)
    return {"work": work, "service": work / "payments-service", "extra": extra, "outside": outside,
            "cache": base / "cache"}


def _env(cache: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "XDG_CACHE_HOME": str(cache)}


@pytest.fixture(scope="module")
async def client(dirs: dict[str, Path]):
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "servicelens", "mcp", "--root", str(dirs["extra"])],
                                   cwd=dirs["work"], env=_env(dirs["cache"]))
    async with Client(params, read_timeout_seconds=120) as connected:
        yield connected


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


async def _ok(client: Client, tool: str, arguments: dict) -> dict:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content[0].text
    return result.structured_content


async def _error(client: Client, tool: str, arguments: dict) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} {arguments} should fail"
    return result.content[0].text


async def test_lists_the_five_tools_with_parameter_schemas(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"review", "finding", "explain", "design", "check"}
    assert tools["review"].input_schema["required"] == ["path"]
    assert {"diff_base", "select", "profile", "cursor"} <= set(tools["review"].input_schema["properties"])
    assert set(tools["check"].input_schema["required"]) == {"path", "file", "new_content"}
    assert all(tool.description and tool.annotations.read_only_hint for tool in tools.values())


async def test_review_gives_findings_with_locations_and_the_overview(client: Client) -> None:
    page = await _ok(client, "review", {"path": "payments-service", "page_size": 100, "profile": "extended"})
    assert page["findings_total"] == page["findings_returned"] >= 10 and page["next_cursor"] is None
    first = page["findings"][0]
    assert {"id", "concern", "cwe", "severity", "confidence", "file", "line", "evidence", "fix", "reach",
            "held_back"} <= set(first)
    located = {(f["concern"], f["file"], f["line"]) for f in page["findings"]}
    assert ("missing-timeout", PROVIDER, 12) in located
    assert ("sql-injection", "payments/db.py", 13) in located
    sql = next(f for f in page["findings"] if f["concern"] == "sql-injection")
    assert sql["cwe"] == ["CWE-89"] and any(step["file"] == ACCOUNTS for step in sql["evidence"])
    (service,) = page["overview"]["services"]
    assert {e["auth"] for e in service["endpoints"]} and all("path" in e for e in service["endpoints"])
    assert service["datastores"] and service["outbound_calls"]
    assert page["open_questions"] and all(q["question"] and q["assumption"] for q in page["open_questions"])


async def test_review_pages_say_the_total_and_never_drop_findings(client: Client) -> None:
    first = await _ok(client, "review", {"path": "payments-service", "page_size": 4, "profile": "extended"})
    total, seen, cursor = first["findings_total"], [f["id"] for f in first["findings"]], first["next_cursor"]
    assert total > 4 and len(seen) == 4 and cursor and "more findings" in first["more"]
    while cursor:
        page = await _ok(client, "review", {"path": "payments-service", "page_size": 4, "cursor": cursor,
                                              "profile": "extended"})
        assert page["findings_total"] == total and "overview" not in page
        seen += [f["id"] for f in page["findings"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == total
    assert "not one this server issued" in await _error(
        client, "review", {"path": "payments-service", "cursor": "garbage"})


async def test_finding_shows_the_code_around_each_evidence_step(client: Client) -> None:
    page = await _ok(client, "review", {"path": "payments-service", "page_size": 100, "profile": "extended"})
    sql = next(f for f in page["findings"] if f["concern"] == "sql-injection")
    detail = await _ok(client, "finding", {"id": sql["id"]})
    assert detail["id"] == sql["id"] and detail["why"] and detail["fix"]["code"]
    assert len(detail["context"]) >= 2
    by_file = {c["file"]: c for c in detail["context"]}
    accounts = by_file[ACCOUNTS]["code"]
    source = (EXAMPLE / ACCOUNTS).read_text().splitlines()
    assert all(row["text"] == source[row["line"] - 1] for row in accounts)
    assert any("fetch_all(f\"SELECT" in row["text"] for row in accounts)
    assert "call review" in await _error(client, "finding", {"id": "0000000000deadbeef00"})


async def test_explain_is_what_the_cli_prints(client: Client, dirs: dict[str, Path]) -> None:
    result = await client.call_tool("explain", {"concern": "sql-injection"})
    assert not result.is_error
    cli = await anyio.run_process([sys.executable, "-m", "servicelens", "explain", "sql-injection"],
                                  env={**os.environ, **_env(dirs["cache"])})
    assert result.structured_content["result"] + "\n" == cli.stdout.decode()  # echo adds the last newline
    assert "did you mean 'sql-injection'" in await _error(client, "explain", {"concern": "sql-injectoin"})


async def test_check_sees_a_timeout_fix_remove_its_finding(client: Client, dirs: dict[str, Path]) -> None:
    before = _snapshot(dirs["service"])
    text = (dirs["service"] / PROVIDER).read_text()
    fixed = text.replace("Config.PROVIDER_API_KEY})", "Config.PROVIDER_API_KEY},\n                                     timeout=5)")
    assert fixed != text
    result = await _ok(client, "check", {"path": "payments-service", "file": PROVIDER, "new_content": fixed})
    assert [(f["concern"], f["file"], f["line"]) for f in result["removed"]] == [("missing-timeout", PROVIDER, 12)]
    assert result["introduced"] == [] and result["findings_after"] == result["findings_before"] - 1
    assert _snapshot(dirs["service"]) == before  # in memory only


async def test_check_sees_an_fstring_query_introduce_an_injection(client: Client, dirs: dict[str, Path]) -> None:
    before = _snapshot(dirs["service"])
    added = (dirs["service"] / ACCOUNTS).read_text() + (
        '\n\n@bp.route("/by-name")\ndef by_name():\n    name = request.args.get("name", "")\n'
        '    cur = get_connection().cursor()\n'
        '    cur.execute(f"SELECT id FROM accounts WHERE name = \'{name}\'")\n'
        '    return jsonify(cur.fetchall())\n')
    result = await _ok(client, "check", {"path": str(dirs["service"]), "file": ACCOUNTS, "new_content": added,
                                         "profile": "extended"})
    injected = [f for f in result["introduced"] if f["concern"] == "sql-injection"]
    assert injected and injected[0]["file"] == ACCOUNTS and result["removed"] == []
    # the new finding can be opened with the code it was found in, which exists only in memory
    detail = await _ok(client, "finding", {"id": injected[0]["id"]})
    assert any("cur.execute(f\"SELECT id" in row["text"] for c in detail["context"] for row in c["code"])
    assert _snapshot(dirs["service"]) == before
    assert "not a file inside" in await _error(
        client, "check", {"path": "payments-service", "file": "../escape/secret.py", "new_content": "x = 1\n"})


async def test_design_gives_a_valid_openapi_contract(client: Client) -> None:
    design = await _ok(client, "design", {"requirement": "an auth service for 20k logins/s"})
    assert design["kind"] == "servicelens.design" and design["capacity"] and design["components"]
    validate(design["openapi"])
    assert design["openapi"]["paths"]
    spec = await _ok(client, "design", {"spec": {"version": 1, "domains": ["orders"],
                                                 "traffic": {"requests": "500 rps", "peak_factor": 3}}})
    assert spec["requirement"]["domains"] == ["orders"] and spec["openapi"]["paths"]
    assert "did you mean 'domains'" in await _error(client, "design", {"spec": {"version": 1, "domain": "orders"}})
    assert "exactly one" in await _error(client, "design", {})


async def test_paths_outside_the_allowed_roots_are_refused(client: Client, dirs: dict[str, Path]) -> None:
    for path in (str(dirs["outside"]), "escape", "escape/secret.py", "../outside", "/"):
        message = await _error(client, "review", {"path": path})
        assert "outside the allowed roots" in message, (path, message)
    assert "no such file" in await _error(client, "review", {"path": "nope"})
    extra = await _ok(client, "review", {"path": str(dirs["extra"] / "svc"),  # allowed by --root
                                         "select": ["missing-timeout"]})
    assert [f["concern"] for f in extra["findings"]] == ["missing-timeout"]


async def test_a_bad_call_is_an_error_and_the_server_keeps_serving(client: Client) -> None:
    assert "page_size" in await _error(client, "review", {"path": "payments-service", "page_size": "lots"})
    assert "path" in await _error(client, "review", {})
    assert "unknown concern" in await _error(client, "review", {"path": "payments-service", "select": ["nope"]})
    # the example copy is no git checkout: diff_base is answered with git's reason, not a crash
    assert "diff_base:" in await _error(client, "review", {"path": "payments-service", "diff_base": "main"})
    page = await _ok(client, "review", {"path": "payments-service", "select": ["missing-timeout"]})
    assert {f["concern"] for f in page["findings"]} == {"missing-timeout"}


async def test_a_warm_review_answers_well_under_two_seconds(client: Client) -> None:
    await _ok(client, "review", {"path": "payments-service"})
    started = time.monotonic()
    await _ok(client, "review", {"path": "payments-service"})
    assert time.monotonic() - started < 2.0


async def test_review_with_diff_base_reports_only_what_changed(client: Client, dirs: dict[str, Path]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = dirs["work"] / "gitsvc"
    repo.mkdir()
    (repo / "old.py").write_text("import requests\n\n\ndef ping(url):\n    return requests.get(url)\n")
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    (repo / "new.py").write_text("import requests\n\n\ndef pull(url):\n    return requests.post(url)\n")
    whole = await _ok(client, "review", {"path": "gitsvc", "select": ["missing-timeout"]})
    changed = await _ok(client, "review", {"path": "gitsvc", "select": ["missing-timeout"], "diff_base": "HEAD"})
    assert {f["file"] for f in whole["findings"]} == {"old.py", "new.py"}
    assert [f["file"] for f in changed["findings"]] == ["new.py"]  # the untracked file is the change
