"""`servicelens agent install` for opencode and Claude Code: fresh projects, merging with a
user's config, refusals, --force, idempotence, broken JSON; then the real opencode CLI from
the npm registry reading what we installed, as a new user would."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from servicelens.agent.install import HOSTS, agent_text, server_command
from servicelens.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"opencode": "opencode.json", "claude-code": ".mcp.json"}
AGENT = {"opencode": ".opencode/agent/backend-engineer.md", "claude-code": ".claude/agents/backend-engineer.md"}


def _install(project: Path, host: str, *extra: str) -> int:
    return main(["agent", "install", "--host", host, "--dir", str(project), *extra])


def _servers(project: Path, host: str) -> dict:
    config = json.loads((project / CONFIG[host]).read_text("utf-8"))
    return config["mcp"] if host == "opencode" else config["mcpServers"]


def _front_matter(text: str) -> str:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "the agent file opens with YAML front matter"
    return match.group(1)


def test_both_hosts_ship_the_same_instructions() -> None:
    import yaml

    bodies = {}
    for name, host in HOSTS.items():
        text = agent_text(host)
        meta = yaml.safe_load(_front_matter(text))
        assert "designing scalable, secure APIs" in meta["description"]
        bodies[name] = text.split("\n---\n", 1)[1]
    assert bodies["opencode"] == bodies["claude-code"]
    for step in ("`review`", "`design`", "`finding`", "`check`", "open questions", "Risks and mitigations"):
        assert step in bodies["opencode"]


def test_opencode_front_matter_is_a_read_only_subagent() -> None:
    import yaml

    meta = yaml.safe_load(_front_matter(agent_text(HOSTS["opencode"])))
    assert meta["mode"] == "subagent"
    assert meta["tools"]["write"] is False and meta["tools"]["edit"] is False


def test_claude_code_front_matter_names_the_servicelens_tools() -> None:
    import yaml

    meta = yaml.safe_load(_front_matter(agent_text(HOSTS["claude-code"])))
    assert meta["name"] == "backend-engineer"
    tools = [t.strip() for t in meta["tools"].split(",")]
    assert "Read" in tools and "Edit" not in tools and "Write" not in tools
    for tool in ("review", "finding", "explain", "design", "check"):
        assert f"mcp__servicelens__{tool}" in tools


@pytest.mark.parametrize("host", ["opencode", "claude-code"])
def test_fresh_project(host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _install(tmp_path, host) == 0
    assert (tmp_path / AGENT[host]).read_text("utf-8") == agent_text(HOSTS[host])
    entry = _servers(tmp_path, host)["servicelens"]
    if host == "opencode":
        assert entry == {"type": "local", "command": server_command(), "enabled": True}
    else:
        assert [entry["command"], *entry["args"]] == server_command()
    assert server_command()[:3] == [os.path.abspath(sys.executable), "-m", "servicelens"]
    assert capsys.readouterr().out.count("created") == 2


@pytest.mark.parametrize("host", ["opencode", "claude-code"])
def test_merges_with_the_users_config(host: str, tmp_path: Path) -> None:
    key = "mcp" if host == "opencode" else "mcpServers"
    other = {"type": "local", "command": ["other-server"]} if host == "opencode" else {"command": "other-server"}
    (tmp_path / CONFIG[host]).write_text(json.dumps({"theme": "dark", key: {"other": other}}), "utf-8")
    assert _install(tmp_path, host) == 0
    config = json.loads((tmp_path / CONFIG[host]).read_text("utf-8"))
    assert config["theme"] == "dark"
    assert config[key]["other"] == other
    assert set(config[key]) == {"other", "servicelens"}


@pytest.mark.parametrize("host", ["opencode", "claude-code"])
def test_idempotent(host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _install(tmp_path, host) == 0
    before = {p: (tmp_path / p).read_bytes() for p in (CONFIG[host], AGENT[host])}
    capsys.readouterr()
    assert _install(tmp_path, host) == 0
    assert {p: (tmp_path / p).read_bytes() for p in before} == before
    assert capsys.readouterr().out.count("unchanged") == 2


@pytest.mark.parametrize("host", ["opencode", "claude-code"])
def test_refuses_a_different_server_entry_without_force(host: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    key = "mcp" if host == "opencode" else "mcpServers"
    config = tmp_path / CONFIG[host]
    config.write_text(json.dumps({key: {"servicelens": {"command": "/elsewhere/servicelens"}}}), "utf-8")
    before = config.read_bytes()
    assert _install(tmp_path, host) == 2
    err = capsys.readouterr().err
    assert CONFIG[host] in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert config.read_bytes() == before
    assert not (tmp_path / AGENT[host]).exists(), "a refusal writes nothing"
    assert _install(tmp_path, host, "--force") == 0
    assert _servers(tmp_path, host)["servicelens"] != {"command": "/elsewhere/servicelens"}


@pytest.mark.parametrize("host", ["opencode", "claude-code"])
def test_refuses_a_different_agent_file_without_force(host: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    agent = tmp_path / AGENT[host]
    agent.parent.mkdir(parents=True)
    agent.write_text("my own backend engineer\n", "utf-8")
    assert _install(tmp_path, host) == 2
    err = capsys.readouterr().err
    assert "backend-engineer.md" in err and "--force" in err
    assert agent.read_text("utf-8") == "my own backend engineer\n"
    assert not (tmp_path / CONFIG[host]).exists()
    assert _install(tmp_path, host, "--force") == 0
    assert agent.read_text("utf-8") == agent_text(HOSTS[host])


@pytest.mark.parametrize("host", ["opencode", "claude-code"])
@pytest.mark.parametrize("text", ["{\"mcp\": ", "[1, 2]"])
def test_bad_json_is_refused_and_nothing_written(host: str, text: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / CONFIG[host]
    config.write_text(text, "utf-8")
    assert _install(tmp_path, host) == 2
    err = capsys.readouterr().err
    assert CONFIG[host] in err and "nothing was written" in err
    assert config.read_text("utf-8") == text
    assert not (tmp_path / AGENT[host]).exists()


def test_opencode_jsonc_is_left_to_the_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "opencode.jsonc").write_text("{\n  // mine\n}\n", "utf-8")
    assert _install(tmp_path, "opencode") == 2
    assert "opencode.jsonc" in capsys.readouterr().err
    assert not (tmp_path / "opencode.json").exists()


def test_missing_directory_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _install(tmp_path / "nope", "opencode") == 2
    assert "not a directory" in capsys.readouterr().err


# --- the real opencode CLI -----------------------------------------------------------------

OPENCODE_PACKAGE = "opencode-ai@1"
NETWORK_ERRORS = ("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET", "network")


def _opencode() -> Path:
    """The opencode CLI installed once from the npm registry into a user cache outside the repo."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed: the real opencode check needs them")
    cache = Path(platformdirs.user_cache_dir("servicelens-tests")) / "opencode"
    binary = cache / "node_modules" / ".bin" / "opencode"
    if binary.exists():
        return binary
    # install beside the cache and move it in whole, so a concurrent run never sees half of it
    staging = cache.with_name(f"opencode.{os.getpid()}.tmp")
    staging.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "install", "--prefix", str(staging), "--no-audit", "--no-fund",
                           OPENCODE_PACKAGE], capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        if any(marker in done.stderr for marker in NETWORK_ERRORS):
            pytest.skip(f"npm could not reach the registry to install {OPENCODE_PACKAGE}: "
                        f"{done.stderr.strip().splitlines()[-1]}")
        pytest.fail(f"npm install {OPENCODE_PACKAGE} failed:\n{done.stderr}")
    try:
        staging.rename(cache)
    except OSError:  # another run got there first
        shutil.rmtree(staging, ignore_errors=True)
    return binary


def _run_opencode(binary: Path, project: Path, home: Path, *args: str) -> str:
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT / "src"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(binary.parents[2] / "xdg-cache"))
    done = subprocess.run([str(binary), *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=180, check=False)
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    assert done.returncode == 0, f"opencode {' '.join(args)} failed:\n{output}"
    return output


@pytest.mark.external
def test_real_opencode_sees_the_agent_and_the_server(tmp_path: Path) -> None:
    binary = _opencode()
    project, home = tmp_path / "project", tmp_path / "home"
    project.mkdir()
    (project / "app.py").write_text("print('hello')\n", "utf-8")
    subprocess.run(["git", "init", "-q", str(project)], check=False, capture_output=True)
    assert _install(project, "opencode") == 0

    agents = _run_opencode(binary, project, home, "agent", "list")
    assert re.search(r"^backend-engineer \(subagent\)$", agents, re.MULTILINE), agents

    shown = _run_opencode(binary, project, home, "debug", "agent", "backend-engineer")
    agent = json.loads(shown[shown.index("{"):])
    assert agent["mode"] == "subagent"
    assert agent["tools"]["edit"] is False and agent["tools"]["write"] is False
    assert {"permission": "edit", "action": "deny", "pattern": "*"} in agent["permission"]

    servers = _run_opencode(binary, project, home, "mcp", "list")
    assert re.search(r"servicelens\s+connected", servers), servers
