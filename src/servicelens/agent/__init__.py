"""The backend-engineer agent for AI coding hosts, and its installer.

data/<host>/backend-engineer.md is the agent in each host's own format (same instructions,
host-specific front matter); install.py copies it into a project and registers
`servicelens mcp` in the host's project config, merging with what is already there.
"""
from servicelens.agent.install import HOSTS, Change, InstallError, install

__all__ = ["HOSTS", "Change", "InstallError", "install"]
