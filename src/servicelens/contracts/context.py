"""What every contract check receives: one document, its operations and the shared tables."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from servicelens.contracts.operations import Operation
from servicelens.contracts.policy import ContractPolicy
from servicelens.contracts.refs import OpenApiDoc, Resolver


@dataclass(frozen=True, slots=True)
class ContractContext:
    doc: OpenApiDoc
    ops: tuple[Operation, ...]
    policy: ContractPolicy
    resolver: Resolver
    texts: Mapping[str, str]  # rel -> text, for snippets of findings in $ref'd files

    def lines_of(self, rel: str) -> list[str]:
        return self.doc.lines if rel == self.doc.rel else self.texts.get(rel, "").splitlines()
