"""The tool's own YAML data (taxonomy, guidance, profile and precision tables, policies,
vocabularies, framework knowledge), parsed with libyaml when PyYAML was built with it.

`yaml.safe_load` composes with the pure-Python scanner and parser: the packaged files cost
~0.25 CPU s per process that reads them (guidance.yaml alone 0.13 s), and the main process
reads most of them while the workers wait or after they finish, so the cost is serial.
libyaml's safe loader composes the same nodes ~10x faster and builds the values with the same
`SafeConstructor`. Only for text the tool ships: text from the reviewed tree goes through
`sources.yaml_budget`, which bounds what a hostile document can expand to.
"""
from __future__ import annotations

from typing import Any

import yaml

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the pure-Python loader when libyaml is absent


def packaged_yaml(text: str) -> Any:
    """What `yaml.safe_load(text)` returns, for YAML shipped with servicelens."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (C or Python), packaged text only
