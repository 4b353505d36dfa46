"""The MCP server: tool registration, parameter schemas and error mapping; tools.py does the work.

Parameters are typed with descriptions so the published JSON schema tells an agent what
to pass. An anticipated failure (bad path, unknown concern, unknown id) becomes an MCP
error result carrying our message; anything else the SDK reports as an error result too,
so one bad call never stops the server. Tools are synchronous: the SDK runs them on
worker threads, so a long review does not block the protocol loop.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from servicelens import __version__
from servicelens.mcp_server.paths import PathPolicy
from servicelens.mcp_server.tools import DEFAULT_PAGE_SIZE, ToolInputError, Tools

INSTRUCTIONS = """\
servicelens reviews backend services statically (it never runs or writes the code) and
designs new ones with the arithmetic shown. Call `review` on a service directory first;
cite findings by file and line; use `finding` for one finding's evidence with the code
around it; `explain` for what a concern is and how to fix it; `check` to verify a
proposed edit before showing it; `design` for a requirement or structured spec."""

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                            open_world_hint=False)

PathArg = Annotated[str, Field(description="A file or directory under the server's allowed roots; "
                                           "relative paths are taken from the server's working directory.")]
Select = Annotated[list[str] | None, Field(description="Only these concern ids or categories, "
                                                      "e.g. ['sql-injection', 'reliability'].")]
Profile = Annotated[Literal["default", "extended"] | None, Field(
    description="default: what is worth acting on; extended: also findings held back "
                "(lower measured precision, code that never serves a request).")]


def build_server(roots: list[Path] | None = None, cwd: Path | None = None) -> MCPServer:
    """An MCPServer whose tools may read under `cwd` (default: the working directory) and `roots`."""
    tools = Tools(PathPolicy(list(roots or []), cwd))
    # WARNING: stderr is the host's log; a line per anticipated tool error is noise there
    server = MCPServer("servicelens", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(annotations=READ_ONLY)
    def review(
        path: PathArg,
        diff_base: Annotated[str | None, Field(description="A git revision: report only what the change "
                                                           "since it introduced (not supported yet).")] = None,
        select: Select = None,
        profile: Profile = None,
        cursor: Annotated[str | None, Field(description="`next_cursor` from the previous page; "
                                                        "leave out for the first page.")] = None,
        page_size: Annotated[int, Field(ge=1, le=100, description="Findings per page.")] = DEFAULT_PAGE_SIZE,
    ) -> dict[str, Any]:
        """Review a service or repository: findings (most important first, each with a stable `id`,
        concern, CWE, severity, confidence, file:line, evidence steps and a fix) plus the overview
        (endpoints with auth status, datastores, outbound calls), risks and open questions.
        Findings are paged: `findings_total` is the count, `next_cursor` fetches the rest."""
        return _call(tools.review, path=path, diff_base=diff_base, select=select, profile=profile,
                     cursor=cursor, page_size=page_size)

    @server.tool(annotations=READ_ONLY)
    def finding(
        id: Annotated[str, Field(description="A finding `id` from a review or check result.")],
        path: Annotated[str | None, Field(description="The path that review was called with, "
                                                      "when several trees were reviewed.")] = None,
    ) -> dict[str, Any]:
        """One finding of a recent review in full: why it matters, every evidence step with the
        code around it, and the fix."""
        return _call(tools.finding, id=id, path=path)

    @server.tool(annotations=READ_ONLY)
    def explain(concern: Annotated[str, Field(description="A concern id, e.g. sql-injection.")]) -> str:
        """What a concern is, why it matters and how to fix it, with examples (Markdown)."""
        return _call(tools.explain, concern=concern)

    @server.tool(annotations=READ_ONLY)
    def design(
        requirement: Annotated[str | None, Field(description="The requirement in prose, e.g. "
                                                             "'an auth endpoint for 20k logins/s'.")] = None,
        spec: Annotated[dict[str, Any] | str | None, Field(
            description="A structured requirement (object, or its YAML text) as in docs/design-spec.md.")] = None,
        stack: Annotated[Literal["fastapi", "express", "spring", "go"] | None, Field(
            description="Stack for the code skeleton (default: the working directory's, else fastapi).")] = None,
    ) -> dict[str, Any]:
        """Design a service from exactly one of `requirement` or `spec`: capacity figures with their
        arithmetic, components, OpenAPI contract, SQL schema, code skeleton, trade-offs, risks and
        open questions."""
        return _call(tools.design, requirement=requirement, spec=spec, stack=stack)

    @server.tool(annotations=READ_ONLY)
    def check(
        path: Annotated[str, Field(description="The directory to review (under the allowed roots).")],
        file: Annotated[str, Field(description="The file to replace, relative to `path` (may be new).")],
        new_content: Annotated[str, Field(description="The file's full proposed content.")],
        select: Select = None,
        profile: Profile = None,
    ) -> dict[str, Any]:
        """Review `path` as if `file` held `new_content` (in memory only, never written) and return
        the findings the change removes and introduces: verify a proposed fix before showing it."""
        return _call(tools.check, path=path, file=file, new_content=new_content, select=select,
                     profile=profile)

    return server


def _call(method: Any, **kwargs: Any) -> Any:
    try:
        return method(**kwargs)
    except (ToolInputError, FileNotFoundError) as exc:
        raise ToolError(str(exc)) from None


def serve(roots: list[Path] | None = None) -> None:
    """Run on stdio until the client closes the connection."""
    build_server(roots).run("stdio")
