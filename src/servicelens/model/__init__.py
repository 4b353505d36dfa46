"""The data model every layer shares: findings, reports, concerns.

Imports nothing else from the package, so analyses, renderers and adapters can all
depend on it without cycles.
"""
from servicelens.model.concerns import Concern, Taxonomy, load_taxonomy, make_finding
from servicelens.model.finding import (
    Category,
    Confidence,
    Finding,
    Fix,
    Location,
    Severity,
    TraceStep,
)
from servicelens.model.report import (
    Datastore,
    Deployable,
    Diagnostic,
    Endpoint,
    OpenQuestion,
    OutboundCall,
    Overview,
    Report,
    Risk,
    RunStats,
    Service,
)

__all__ = [
    "Category", "Concern", "Confidence", "Datastore", "Deployable", "Diagnostic",
    "Endpoint", "Finding", "Fix", "Location", "OpenQuestion", "OutboundCall", "Overview",
    "Report", "Risk", "RunStats", "Service", "Severity", "Taxonomy", "TraceStep",
    "load_taxonomy", "make_finding",
]
