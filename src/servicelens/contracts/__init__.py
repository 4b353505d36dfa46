"""API contract review: OpenAPI 2.0/3.0/3.1 documents and GraphQL SDL.

    analysis.ContractAnalysis        the Analysis the runner calls
      refs / operations / schemas     reading ($ref across files), typed operations, schema walks
      checks_security / checks_inputs / checks_responses / checks_document / graphql   the checks
    compare.compare_contract_with_code   contract versus code endpoints (wired by the runner)
"""
from servicelens.contracts.analysis import ContractAnalysis, load_operations
from servicelens.contracts.compare import compare_contract_with_code

ANALYSES = (ContractAnalysis(),)

__all__ = ["ANALYSES", "ContractAnalysis", "compare_contract_with_code", "load_operations"]
