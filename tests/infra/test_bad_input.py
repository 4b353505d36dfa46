"""Bad input becomes a diagnostic and the rest is still reviewed; nothing crashes."""
from __future__ import annotations

from tests.infra.helpers import lines_of, run

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: nginx:latest
"""


def test_malformed_document_is_a_diagnostic_and_neighbours_are_reviewed() -> None:
    text = DEPLOYMENT + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata: [unclosed\n---\n" + DEPLOYMENT.replace("name: api\n", "name: web\n", 1)
    result = run({"k8s/all.yaml": text})
    parse = [d for d in result.diagnostics if d.kind == "parse-error"]
    assert len(parse) == 1 and parse[0].path == "k8s/all.yaml" and 16 <= parse[0].line <= 19
    assert lines_of(result, "unpinned-dependency") == [13, 33]


def test_unrendered_helm_templates_are_skipped_with_one_diagnostic_per_directory() -> None:
    template = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {{ include "chart.fullname" . }}
    spec:
      replicas: {{ .Values.replicaCount }}
      template:
        spec:
          containers:
            - name: app
              image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
    """
    svc = """
    apiVersion: v1
    kind: Service
    metadata:
      name: {{ .Release.Name }}
    spec:
      type: {{ .Values.service.type }}
    """
    result = run({"chart/templates/deployment.yaml": template, "chart/templates/service.yaml": svc})
    assert not result.findings
    (diag,) = [d for d in result.diagnostics if d.kind == "unrendered-template"]
    assert diag.path == "chart/templates" and "helm template chart" in diag.message


def test_prometheus_template_text_is_not_mistaken_for_helm() -> None:
    rules = """
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: alerts}
    data:
      rules.yaml: |
        summary: "{{ $labels.instance }} is down for {{ $value }}s"
    """
    result = run({"alerts.yaml": rules})
    assert not [d for d in result.diagnostics if d.kind == "unrendered-template"]


def test_unresolvable_refs_are_diagnostics_and_the_rest_is_reviewed() -> None:
    spec = """
    openapi: 3.0.3
    info: {title: t, version: '1'}
    servers: [{url: https://x.example.com}]
    paths:
      /a:
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: './missing.yaml#/Thing'}
          responses:
            '200': {$ref: '#/components/responses/Nope'}
      /b:
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: 'https://example.com/schemas/remote.json'}
          responses: {'200': {description: ok}}
    """
    result = run({"api/openapi.yaml": spec})
    refs = sorted((d.line, d.message.split(":")[0]) for d in result.diagnostics if d.kind == "unresolved-ref")
    assert [line for line, _ in refs] == [10, 12, 18]
    assert lines_of(result, "api-unversioned") == [3]


def test_huge_manifest_is_capped_with_a_diagnostic() -> None:
    from servicelens.infra.documents import MAX_DOCUMENTS

    docs = "\n---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata: {{a: b}}"
                          for i in range(MAX_DOCUMENTS + 5))
    result = run({"big.yaml": docs})
    assert [d.kind for d in result.diagnostics] == ["too-large"]


def test_json_contract_with_tabs_and_garbage_files() -> None:
    spec = '{\n\t"openapi": "3.0.0",\n\t"info": {"title": "t", "version": "1"},\n\t"paths": {"/x": {"get": ' \
           '{"responses": {"200": {"description": "ok"}}}}}\n}'
    result = run({"spec.json": spec, "Dockerfile": "FROM\nRUN \\\n", "compose.yaml": "services: [\n",
                  "broken.yaml": "apiVersion: v1\nkind: Pod\nspec: {containers: 3}\n"})
    assert lines_of(result, "api-unversioned", "spec.json") == [4]
    assert any(d.path == "compose.yaml" and d.kind == "parse-error" for d in result.diagnostics)


def test_recursive_schema_and_alias_heavy_yaml_terminate() -> None:
    spec = """
    openapi: 3.1.0
    info: {title: t, version: '1'}
    servers: [{url: https://x.example.com/v1}]
    components:
      schemas:
        Node:
          type: object
          properties:
            name: {type: string}
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    paths:
      /nodes:
        post:
          requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}}
          responses: {'200': {description: ok}}
    """
    result = run({"openapi.yaml": spec})
    assert lines_of(result, "api-unbounded-input") == [6]
