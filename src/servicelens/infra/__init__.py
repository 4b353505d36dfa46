"""Infrastructure review: Dockerfiles, docker-compose files and Kubernetes manifests.

    analysis.InfraAnalysis            the Analysis the runner calls
      documents / yamldoc / dockerfile    reading (templates, bad YAML -> diagnostics)
      k8s / compose / images / policy     typed views and the policy tables (data/policy.yaml)
      docker_checks, compose, k8s_security, k8s_ops, exposure, shared_creds   the checks
"""
from servicelens.infra.analysis import InfraAnalysis

ANALYSES = (InfraAnalysis(),)

__all__ = ["ANALYSES", "InfraAnalysis"]
