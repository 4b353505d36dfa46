"""Contract versus code, on hand-built Endpoints."""
from __future__ import annotations

from servicelens.contracts import compare_contract_with_code
from servicelens.contracts.compare import normalize_path
from servicelens.model.finding import Location
from servicelens.model.report import Endpoint
from tests.infra.helpers import project

from servicelens.contracts.analysis import load_operations

SPEC = """
openapi: 3.0.3
info: {title: Orders, version: '1'}
servers: [{url: https://api.example.com/api/v1}]
security: [{bearer: []}]
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
paths:
  /orders:
    get: {responses: {'200': {description: ok}}}
    post: {responses: {'201': {description: ok}}}
  /orders/{orderId}:
    get: {responses: {'200': {description: ok}}}
  /refunds:
    post: {responses: {'201': {description: ok}}}
  /health:
    get: {security: [], responses: {'200': {description: ok}}}
"""


def ep(method: str, path: str, auth: str = "required", line: int = 1) -> Endpoint:
    return Endpoint(method, path, f"app.views.{method.lower()}_{line}", Location("app/views.py", line), "flask", auth)


def ops():
    return load_operations(project({"openapi.yaml": SPEC}))


def test_normalize_path_styles() -> None:
    for path in ("/orders/<int:order_id>/", "/orders/:id", "^orders/(?P<pk>[^/.]+)/$", "/orders/{id:int}"):
        assert normalize_path(path) == "/orders/{}"


def test_undocumented_unserved_and_unenforced() -> None:
    endpoints = (
        ep("GET", "/api/v1/orders", line=10),
        ep("POST", "/api/v1/orders", auth="none", line=20),
        ep("GET", "/api/v1/orders/<int:order_id>", line=30),
        ep("DELETE", "/api/v1/orders/<int:order_id>", auth="none", line=40),
        ep("GET", "/healthz", auth="none", line=50),
        ep("OPTIONS", "/api/v1/orders", auth="none", line=60),
    )
    findings = compare_contract_with_code(ops(), endpoints)
    got = sorted((f.rule, f.concern, f.location.path, f.location.start_line) for f in findings)
    assert got == [
        # contract requires bearer, handler checks nothing
        ("contract-auth-not-enforced", "api-contract-drift", "app/views.py", 20),
        # DELETE served, not documented
        ("contract-undocumented-endpoint", "api-contract-drift", "app/views.py", 40),
        # POST /refunds documented, not served (health too, one finding)
        ("contract-unimplemented-operation", "api-contract-drift", "openapi.yaml", 14),
    ]
    undocumented = next(f for f in findings if f.rule == "contract-undocumented-endpoint")
    assert undocumented.severity.value == "high" and undocumented.cwe == (1068,)
    assert [s.location.path for s in undocumented.evidence] == ["app/views.py", "openapi.yaml"]
    unenforced = next(f for f in findings if f.rule == "contract-auth-not-enforced")
    assert unenforced.severity.value == "high" and "bearer" in unenforced.title


def test_gateway_enforced_auth_and_unrelated_contract() -> None:
    endpoints = (ep("POST", "/api/v1/orders", auth="none"), ep("GET", "/api/v1/orders"))
    assert not [f for f in compare_contract_with_code(ops(), endpoints, auth_enforced_upstream=True)
                if f.rule == "contract-auth-not-enforced"]
    other_service = (ep("GET", "/invoices"), ep("POST", "/invoices"), ep("GET", "/customers"))
    assert compare_contract_with_code(ops(), other_service) == []


def test_routes_outside_the_contracts_prefix_are_out_of_its_scope() -> None:
    from servicelens.contracts.compare import contract_scope

    assert contract_scope(ops()) == "/api/v1/"
    endpoints = (
        ep("GET", "/api/v1/orders", line=10),
        ep("POST", "/api/v1/orders", line=20),
        ep("GET", "/api/v1/orders/<int:order_id>", line=30),
        ep("POST", "/api/v1/refunds", line=35),
        ep("GET", "/reports/weekly", auth="none", line=40),  # an HTML page of the same application
        ep("POST", "/timers/<int:pk>/restart", line=50),
        ep("DELETE", "/api/v1/orders/<int:order_id>", line=60),  # inside the prefix: undocumented
    )
    got = [(f.rule, f.location.start_line) for f in compare_contract_with_code(ops(), endpoints)]
    assert ("contract-undocumented-endpoint", 60) in got
    assert not [line for rule, line in got if rule == "contract-undocumented-endpoint" and line in (40, 50)]


def test_optional_parameters_and_wildcards_match_the_paths_they_serve() -> None:
    endpoints = (
        ep("GET", "/api/v1/orders/:orderId?", line=10),   # serves /orders and /orders/{orderId}
        ep("ALL", "/api/v1/orders/*", line=20),           # answers every path below /orders
        ep("POST", "/api/v1/orders", line=30),
        ep("GET", "/api/v1/health", auth="none", line=40),
    )
    findings = compare_contract_with_code(ops(), endpoints)
    got = sorted((f.rule, f.location.start_line) for f in findings)
    assert not [line for rule, line in got if rule == "contract-undocumented-endpoint"]
    unserved = [f for f in findings if f.rule == "contract-unimplemented-operation"]
    assert len(unserved) == 1 and "POST /refunds" in unserved[0].title + unserved[0].why


def test_a_required_parameter_still_must_be_present() -> None:
    endpoints = (ep("GET", "/api/v1/orders", line=10), ep("POST", "/api/v1/orders", line=20),
                 ep("GET", "/api/v1/orders/:orderId/:part", line=30))
    got = [(f.rule, f.location.start_line) for f in compare_contract_with_code(ops(), endpoints)]
    assert ("contract-undocumented-endpoint", 30) in got


def test_files_the_application_serves_are_no_operations() -> None:
    endpoints = (ep("GET", "/api/v1/orders", line=10), ep("POST", "/api/v1/orders", line=20),
                 ep("GET", "/api/v1/openapi.json", auth="none", line=30), ep("GET", "/api/v1/sw.js", auth="none", line=40),
                 ep("GET", "/api/v1/orders/:orderId/receipt", auth="none", line=50))
    got = [(f.rule, f.location.start_line) for f in compare_contract_with_code(ops(), endpoints)]
    assert ("contract-undocumented-endpoint", 50) in got
    assert not [line for rule, line in got if rule == "contract-undocumented-endpoint" and line in (30, 40)]


def test_a_data_export_named_like_a_file_is_still_an_operation() -> None:
    endpoints = (ep("GET", "/api/v1/orders", line=10), ep("POST", "/api/v1/orders", line=20),
                 ep("GET", "/api/v1/orders/export.csv", line=30), ep("GET", "/api/v1/orders.json", line=40),
                 ep("GET", "/api/v1/swagger.yaml", auth="none", line=50), ep("GET", "/api/v1/app.css", auth="none", line=60))
    undocumented = {f.location.start_line for f in compare_contract_with_code(ops(), endpoints)
                    if f.rule == "contract-undocumented-endpoint"}
    assert {30, 40} <= undocumented  # a representation of the API's data: the contract should list it
    assert not undocumented & {50, 60}  # the contract document and a page asset are files


def test_a_catch_all_is_not_paired_with_operations_their_own_routes_serve() -> None:
    endpoints = (ep("GET", "/api/v1/orders", line=10), ep("POST", "/api/v1/orders", line=20),
                 ep("GET", "/api/v1/orders/:orderId", line=30),
                 ep("ALL", "/api/v1/orders/*", auth="none", line=40))  # a 404 for everything else
    got = [(f.rule, f.location.start_line) for f in compare_contract_with_code(ops(), endpoints)]
    assert ("contract-auth-not-enforced", 40) not in got  # it answers no operation a route serves
    assert ("contract-undocumented-endpoint", 40) not in got  # the operation it shadows documents it
