"""Design proposal as JSON (versioned schema: docs/design-schema.json). Deterministic."""
from __future__ import annotations

import json

from servicelens.model.design import Proposal
from servicelens.render.design_common import proposal_dict


def render_design_json(p: Proposal) -> str:
    return json.dumps(proposal_dict(p), indent=2, ensure_ascii=False) + "\n"
