"""The contract policy tables (data/policy.yaml) as one frozen object, loaded once."""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Iterable

from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class ContractPolicy:
    public_segments: frozenset[str]
    auth_header_params: frozenset[str]
    private_segments: frozenset[str]
    paging_params: frozenset[str]
    paging_fields: frozenset[str]
    paging_headers: frozenset[str]
    collection_fields: frozenset[str]
    reference_collections: frozenset[str]
    credential_objects: frozenset[str]
    self_service_segments: frozenset[str]
    size_params: frozenset[str]
    bounded_formats: frozenset[str]
    rate_limit_headers: frozenset[str]
    rate_limit_extensions: frozenset[str]
    version_header_params: frozenset[str]
    version_query_params: frozenset[str]
    sensitive_response_fields: frozenset[str]
    privileged_input_fields: frozenset[str]
    privileged_path_segments: frozenset[str]
    owned_resources: frozenset[str]
    runtime_contract_generators: frozenset[str]

    @staticmethod
    def norm(name: str) -> str:
        """Compare names case-insensitively and across snake/kebab/camel spellings."""
        return name.strip().lower().replace("-", "_")

    def generates_contract(self, imports: Iterable[str]) -> bool:
        """Whether one of these import targets builds the API contract from the code at run time."""
        for target in imports:
            key = self.norm(target)
            if any(key == name or key.startswith(name + ".") for name in self.runtime_contract_generators):
                return True
        return False

    def has(self, table: frozenset[str], name: str) -> bool:
        key = self.norm(name)
        return key in table or key.replace("_", "") in table


@lru_cache(maxsize=1)
def load_contract_policy() -> ContractPolicy:
    """Read once; immutable, so caching is safe."""
    text = resources.files("servicelens.contracts.data").joinpath("policy.yaml").read_text("utf-8")
    raw = packaged_yaml(text)
    values = {f.name: frozenset(ContractPolicy.norm(str(v)) for v in raw[f.name]) for f in fields(ContractPolicy)}
    return ContractPolicy(**values)
