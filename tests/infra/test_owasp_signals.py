"""OWASP API signals a contract shows, mapped onto existing concerns."""
from __future__ import annotations

from tests.infra.helpers import lines_of, run

SPEC = """
openapi: 3.0.3
info: {title: Shop, version: '1'}
servers: [{url: https://api.example.com/v1}]
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    User:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        email: {type: string, maxLength: 200}
        password_hash: {type: string}
        password: {type: string, writeOnly: true, maxLength: 200}
        role: {type: string, enum: [user, admin]}
        isAdmin: {type: boolean, readOnly: true}
        balance: {type: number}
paths:
  /users/{userId}:
    parameters:
      - name: userId
        in: path
        required: true
        schema: {type: integer}
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
    patch:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
      responses: {'200': {description: ok}}
  /products/{productId}:
    get:
      parameters: [{name: productId, in: path, required: true, schema: {type: integer}}]
      responses: {'200': {description: ok}}
  /admin/users:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {role: {type: string, enum: [admin]}}}
      responses: {'201': {description: ok}}
"""


def test_sequential_ids_on_owned_objects_only() -> None:
    result = run({"openapi.yaml": SPEC})
    (finding,) = [f for f in result.findings if f.concern == "broken-object-authorization"]
    assert finding.location.start_line == 22 and "1 path" in finding.title  # products are not user-owned


def test_sensitive_fields_in_responses_but_not_write_only_ones() -> None:
    result = run({"openapi.yaml": SPEC})
    assert lines_of(result, "excessive-data-exposure") == [14]


def test_privileged_writable_fields_outside_admin_paths() -> None:
    result = run({"openapi.yaml": SPEC})
    # role and balance are writable; isAdmin is readOnly; the /admin body is intended
    assert lines_of(result, "mass-assignment") == [16, 18]


def test_graphql_sensitive_output_and_privileged_input() -> None:
    sdl = '''
    type User {
      id: ID!
      passwordHash: String
    }
    input UpdateUserInput {
      name: String
      isAdmin: Boolean
    }
    input AdminUpdateUserInput {
      isAdmin: Boolean
    }
    '''
    result = run({"schema.graphql": sdl})
    assert lines_of(result, "excessive-data-exposure") == [3]
    assert lines_of(result, "mass-assignment") == [7]
