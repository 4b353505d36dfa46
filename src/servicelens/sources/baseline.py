"""`--baseline report.json`: the finding fingerprints of an earlier servicelens JSON report.

Only the JSON report is accepted (`review --format json`): it is versioned and carries
each finding's `fingerprint`. Anything else is refused in one line rather than read as
"no known findings", which would silently report the whole backlog as new.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class BaselineError(ValueError):
    """The file is not a servicelens JSON report: a usage error, reported in one line."""


def baseline_fingerprints(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(f"--baseline: no such file: {path}") from exc
    except IsADirectoryError as exc:
        raise BaselineError(f"--baseline: {path} is a directory, not a servicelens JSON report") from exc
    except OSError as exc:
        raise BaselineError(f"--baseline: cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise BaselineError(f"--baseline: {path} is not a servicelens JSON report (not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"--baseline: {path} is not a servicelens JSON report "
                            f"(not JSON: {exc.msg} at line {exc.lineno})") from exc
    problem = _shape_problem(data)
    if problem:
        raise BaselineError(f"--baseline: {path} is not a servicelens JSON report ({problem})")
    return frozenset(finding["fingerprint"] for finding in data["findings"])


def _shape_problem(data: Any) -> str:
    if not isinstance(data, dict):
        return f"the top level is a JSON {type(data).__name__}, not an object"
    if "runs" in data and "findings" not in data:
        return "it is a SARIF log; pass the report written by `review --format json`"
    tool = data.get("tool")
    if not isinstance(tool, dict) or tool.get("name") != "servicelens":
        return "no `tool.name` of servicelens"
    findings = data.get("findings")
    if not isinstance(findings, list):
        return "no `findings` list"
    for number, finding in enumerate(findings, start=1):
        if not isinstance(finding, dict) or not isinstance(finding.get("fingerprint"), str) \
                or not finding["fingerprint"]:
            return f"finding {number} has no `fingerprint`"
    return ""
