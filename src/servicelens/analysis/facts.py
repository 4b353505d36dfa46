"""Per-file facts: everything later phases need from one code file, small and cacheable.

The per-file phase (parse, lower, summarise) runs in worker processes and its result is
cached by content hash; the project phase only ever sees these facts, never syntax trees.
"""
from __future__ import annotations

from dataclasses import dataclass

from servicelens.analysis.callbacks import Handoff
from servicelens.analysis.entry_points import EntryPoint, FunctionSpan
from servicelens.analysis.framework_calls import FrameworkCalls
from servicelens.analysis.instance_calls import InstanceCall, Relation
from servicelens.analysis.request_paths import PathFacts
from servicelens.analysis.signature_checks import SignatureChecks
from servicelens.analysis.unreachable import Unreachable
from servicelens.frameworks.django_urls import UrlPattern
from servicelens.endpoints.generic_views import GenericView
from servicelens.endpoints.hooks import RequestHook
from servicelens.endpoints.imported_tables import DeclaredTable, TableLoop
from servicelens.endpoints.method_maps import MethodMaps
from servicelens.endpoints.principals import Principal
from servicelens.endpoints.falcon_apps import FalconApp
from servicelens.endpoints.falcon_gates import DeclaredAttributes, ResourceGate
from servicelens.endpoints.registrations import Application, Registration
from servicelens.endpoints.registries import RegistryFacts
from servicelens.endpoints.route import RouteFact
from servicelens.endpoints.router_factories import BoundRouter, ReturnedRouter
from servicelens.frameworks.path_helpers import PathHelperFacts
from servicelens.frameworks.python_handlers import RouterInclude
from servicelens.model.finding import Finding
from servicelens.model.report import Diagnostic
from servicelens.taint.summary import FunctionSummary


@dataclass(frozen=True, slots=True)
class FileFacts:
    rel: str
    language: str
    lines: int
    module_name: str
    imports: tuple[str, ...]  # dotted import targets, for framework and datastore detection
    summaries: tuple[FunctionSummary, ...]
    routes: tuple[RouteFact, ...]
    findings: tuple[Finding, ...]  # per-file rule findings
    diagnostics: tuple[Diagnostic, ...]
    suppressions: tuple[tuple[int, tuple[str, ...], str], ...]  # (line, concerns, reason)
    collected: tuple[tuple[str, object], ...] = ()  # (rule id, facts its `collect` returned)
    url_patterns: tuple[UrlPattern, ...] = ()  # Django urlpatterns declared in this module
    # (function key, parameter index): functions here that apply that argument as a decorator to the
    # URL patterns they are handed (endpoints/pattern_decorators.py)
    pattern_helpers: tuple[tuple[str, int], ...] = ()
    settings: tuple[tuple[str, str], ...] = ()  # project-wide settings found here (frameworks/django_settings.py)
    class_bases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (class key, dotted base classes)
    # (`module.Class.attr`, classes of the instance a class-level attribute holds): analysis/class_attributes.py
    attribute_classes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    router_includes: tuple[RouterInclude, ...] = ()  # FastAPI `include_router` edges declared here
    # routers with dependencies that functions here return, and module-level names here bound to
    # what a function returns (endpoints/router_factories.py): joined by the inventory
    returned_routers: tuple[ReturnedRouter, ...] = ()
    bound_routers: tuple[BoundRouter, ...] = ()
    auth_classes: tuple[tuple[str, str], ...] = ()  # (class key, evidence): class-based views with an auth dependency
    registrations: tuple[Registration, ...] = ()  # routes declared here for handlers defined anywhere
    principals: tuple[Principal, ...] = ()  # functions here that do (or visibly do not) authenticate
    applications: tuple[Application, ...] = ()  # aiohttp `web.Application(middlewares=...)` built here
    falcon_apps: tuple[FalconApp, ...] = ()  # Falcon applications built here, with their middleware classes
    # Falcon middleware methods here that let resources through by what they declare, and every
    # class's class-level attributes, what such a method reads of a resource (endpoints/falcon_gates.py)
    falcon_gated: tuple[ResourceGate, ...] = ()
    falcon_declared: tuple[DeclaredAttributes, ...] = ()
    falcon_unread: tuple[int, ...] = ()  # lines of Falcon `add_route` calls binding no resource the review names
    spans: tuple[FunctionSpan, ...] = ()  # every function's lines, to place a finding in its function
    entries: tuple[EntryPoint, ...] = ()  # functions started by a command, task or script (qualname "" = module top level)
    receiver_calls: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (qualname, (receiver, method)) the resolver cannot follow
    table_calls: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (qualname, functions it runs through a dispatch table)
    instance_calls: tuple[InstanceCall, ...] = ()  # method calls on ORM-loaded model instances (analysis/instance_calls.py)
    relations: tuple[Relation, ...] = ()  # to-one relation fields of the module's models, with their target
    module_instances: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (module.name, (class,)): a module-level instance
    returned_models: tuple[tuple[str, str], ...] = ()  # (qualname, model class): functions returning one model's instance
    class_decorators: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (class key, its `decorators` list, project-wide)
    request_hooks: tuple[RequestHook, ...] = ()  # Flask `before_request` hooks registered here
    privileged: tuple[str, ...] = ()  # route handlers here only staff/administrators may call (analysis/caller_privilege.py)
    # route handlers here that check who sent the request (a signature, shared secret or token:
    # analysis/sender_checks.py), what stands in for a login on a webhook or callback
    verified_senders: tuple[str, ...] = ()
    # route handlers here that only end the caller's own session (analysis/own_session.py): a sign-out
    session_enders: tuple[str, ...] = ()
    # serializers and handlers here that authenticate the caller by a verified signature over the
    # payload, and handlers that run their serializer's validation (analysis/signature_checks.py)
    signatures: SignatureChecks = SignatureChecks()
    # (qualname, fields) of read route handlers here whose response carries people's private data
    # (analysis/personal_reads.py): an open one is a sensitive endpoint with no authentication
    personal_reads: tuple[tuple[str, tuple[str, ...]], ...] = ()
    serves: bool = False  # JS/TS: the module declares routes or starts a server (`.listen(`), however it is run
    import_time: tuple[tuple[int, int], ...] = ()  # Python: lines run when the module is imported (analysis/import_time.py)
    job_deadlines: tuple[tuple[str, str], ...] = ()  # (job framework, evidence): worker-wide deadlines set here
    callbacks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (qualname, project functions it hands to a call)
    # project functions handed to a project function's call, and the functions here that run what
    # they are handed (analysis/callbacks.py): a command's work reached through `run_all(record)`
    handoffs: tuple[Handoff, ...] = ()
    parameter_runners: tuple[str, ...] = ()
    framework: FrameworkCalls = FrameworkCalls()  # what this module hands its framework to call (analysis/framework_calls.py)
    # JS/TS: (qualname, callers) of what a request runs besides route handlers: middleware, error
    # handlers, the function a handler factory is (frameworks/express.py RequestRun)
    request_runs: tuple[tuple[str, str], ...] = ()
    # JS/TS: route paths written as calls of the registering object's methods, the methods that
    # build such strings and the classes' bases (frameworks/path_helpers.py)
    path_helpers: PathHelperFacts = PathHelperFacts()
    # JS/TS: (message class name, handler qualname) of bus message handlers declared here, and
    # (qualname, message class name) of messages handed to a bus here (analysis/javascript_framework_runs.py)
    message_handlers: tuple[tuple[str, str], ...] = ()
    message_sends: tuple[tuple[str, str], ...] = ()
    # request entry points and project calls with the guards held at each (analysis/request_paths.py)
    paths: PathFacts = PathFacts()
    # Django classes with project bases and no handler of their own (endpoints/generic_views.py)
    generic_views: tuple[GenericView, ...] = ()
    # functions here whose own body writes (a database, cache, queue, file, another service): whether a
    # POST changes state is what it reaches of these (analysis/state_changes.py)
    writers: tuple[str, ...] = ()
    # class views routed by a literal method map and the looping helpers that register them
    method_maps: MethodMaps | None = None
    # statements here that can never run (analysis/unreachable.py): a finding there is held back
    # from every profile, and a call there calls nothing
    unreachable: tuple[Unreachable, ...] = ()
    # functions here that store something on the function they decorate and return it, such as
    # a URL rule a Blueprint subclass registers (endpoints/recorded_routes.py)
    recording_decorators: tuple[str, ...] = ()
    route_patterns: tuple[tuple[str, str], ...] = ()  # Pyramid `add_route` (name, pattern) here
    default_permissions: tuple[str, ...] = ()  # Pyramid: the default permission views are given here
    security_policies: tuple[str, ...] = ()  # Pyramid: the security policy classes installed here
    # module-level (path, view) tables here, and loops here over a table another module declares
    # (endpoints/imported_tables.py)
    route_tables: tuple[DeclaredTable, ...] = ()
    table_loops: tuple[TableLoop, ...] = ()
    # module-level Tornado URL spec lists here, and what this module reads of such lists: its own,
    # and attributes of modules it imports at run time (endpoints/handler_tables.py)
    handler_tables: tuple[DeclaredTable, ...] = ()
    table_reads: tuple[str, ...] = ()
    # mapping tables functions here store into and look up, and the decorators that register
    # functions in them (endpoints/registries.py)
    registries: RegistryFacts = RegistryFacts()
    # JS/TS: (exported name, import target) of module-level exports bound to an imported value
    # (`export default passport`), renamed to the package project-wide (analysis/javascript_package_exports.py)
    package_exports: tuple[tuple[str, str], ...] = ()
