"""`servicelens agent install`: write the agent file and register the MCP server for one host.

Everything is planned before anything is written, so a refusal (a user's different file or
entry, a config that is not valid JSON) leaves the project untouched. Re-running with the
same interpreter changes nothing; a user's own keys and other servers are always kept.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

SERVER_NAME = "servicelens"
AGENT_FILE = "backend-engineer.md"


class InstallError(Exception):
    """A refusal or a broken input: one line naming the file, nothing written."""


class Action(str, Enum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"


@dataclass(frozen=True, slots=True)
class Change:
    path: Path
    action: Action


@dataclass(frozen=True, slots=True)
class Host:
    name: str
    agent_path: str                                  # relative to the project directory
    config_path: str
    servers_key: tuple[str, ...]                     # where named servers live in the config
    entry: Callable[[list[str]], dict[str, Any]]     # the server entry for a command line
    skeleton: dict[str, Any]                         # top-level keys of a new config


def _opencode_entry(command: list[str]) -> dict[str, Any]:
    return {"type": "local", "command": command, "enabled": True}


def _claude_entry(command: list[str]) -> dict[str, Any]:
    return {"type": "stdio", "command": command[0], "args": command[1:]}


HOSTS: dict[str, Host] = {
    "opencode": Host("opencode", f".opencode/agent/{AGENT_FILE}", "opencode.json", ("mcp",),
                     _opencode_entry, {"$schema": "https://opencode.ai/config.json"}),
    "claude-code": Host("claude-code", f".claude/agents/{AGENT_FILE}", ".mcp.json", ("mcpServers",),
                        _claude_entry, {}),
}


def server_command() -> list[str]:
    """This interpreter running this servicelens: right for a venv, pipx or a system install.

    The interpreter path is made absolute but not resolved: a venv's python is a symlink,
    and resolving it would start the base interpreter without the venv's packages."""
    return [os.path.abspath(sys.executable), "-m", "servicelens", "mcp"]


def agent_text(host: Host) -> str:
    return resources.files("servicelens.agent").joinpath("data", host.name, AGENT_FILE).read_text("utf-8")


def install(host_name: str, directory: Path, force: bool = False,
            command: list[str] | None = None) -> list[Change]:
    """Install the agent and the MCP server entry for `host_name` into `directory`."""
    host = HOSTS[host_name]
    if not directory.is_dir():
        raise InstallError(f"{directory}: not a directory")
    plans = [_plan_agent(host, directory, force),
             _plan_config(host, directory, command or server_command(), force)]
    for path, text, action in plans:
        if action is not Action.unchanged:
            _write(path, text)
    return [Change(path, action) for path, text, action in plans]


def _plan_agent(host: Host, directory: Path, force: bool) -> tuple[Path, str, Action]:
    path = directory / host.agent_path
    text = agent_text(host)
    if not path.exists():
        return path, text, Action.created
    current = _read(path)
    if current == text:
        return path, text, Action.unchanged
    if not force:
        raise InstallError(f"{path} exists with different content; use --force to replace it")
    return path, text, Action.updated


def _plan_config(host: Host, directory: Path, command: list[str], force: bool) -> tuple[Path, str, Action]:
    path = directory / host.config_path
    entry = host.entry(command)
    if host.name == "opencode" and not path.exists() and (directory / "opencode.jsonc").exists():
        # rewriting JSONC would drop the user's comments: say what to add instead
        raise InstallError(f"{directory / 'opencode.jsonc'} exists; add under \"mcp\": "
                           f"\"{SERVER_NAME}\": {json.dumps(entry)}")
    if not path.exists():
        config = dict(host.skeleton)
        _servers(config, host, path, force)[SERVER_NAME] = entry
        return path, _dump(config), Action.created
    config = _load_json(path)
    servers = _servers(config, host, path, force)
    if servers.get(SERVER_NAME) == entry:
        return path, _read(path), Action.unchanged
    if SERVER_NAME in servers and not force:
        raise InstallError(f"{path} already has a different \"{SERVER_NAME}\" server; use --force to replace it")
    servers[SERVER_NAME] = entry
    return path, _dump(config), Action.updated


def _servers(config: dict[str, Any], host: Host, path: Path, force: bool) -> dict[str, Any]:
    """The mapping of named servers inside `config`, created when absent."""
    node = config
    for key in host.servers_key:
        child = node.get(key)
        if child is None or (force and not isinstance(child, dict)):
            child = node[key] = {}
        elif not isinstance(child, dict):
            raise InstallError(f"{path}: \"{key}\" is not a JSON object; fix it or use --force to replace it")
        node = child
    return node


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise InstallError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                           "nothing was written") from None
    if not isinstance(data, dict):
        raise InstallError(f"{path}: the top level is not a JSON object; nothing was written")
    return data


def _read(path: Path) -> str:
    if not path.is_file():
        raise InstallError(f"{path}: not a regular file")
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstallError(f"{path}: cannot read it ({exc})") from None


def _dump(config: dict[str, Any]) -> str:
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> None:
    """Atomic: a crash leaves the old file or the new one, never half of either."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp would say 0600
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        raise InstallError(f"cannot write {path}: {exc.strerror or exc}") from None
