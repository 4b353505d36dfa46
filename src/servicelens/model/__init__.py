"""The data model every layer shares: findings, reports, concerns.

Imports nothing else from the package, so analyses, renderers and adapters can all
depend on it without cycles.
"""
from servicelens.model.concerns import Concern, Taxonomy, load_taxonomy, make_finding
from servicelens.model.finding import (
    Category,
    Confidence,
    Construction,
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
from servicelens.model.scope import ChangedLines, Scope

__all__ = [
    "Category", "ChangedLines", "Concern", "Confidence", "Construction", "Datastore", "Deployable", "Diagnostic",
    "Endpoint", "Finding", "Fix", "Location", "OpenQuestion", "OutboundCall", "Overview",
    "Report", "Risk", "RunStats", "Scope", "Service", "Severity", "Taxonomy", "TraceStep",
    "load_taxonomy", "make_finding",
]
