"""Services exposed outside the cluster/host that should be internal -> missing-authentication."""
from __future__ import annotations

from tests.infra.helpers import lines_of, run

K8S = """
apiVersion: v1
kind: Service
metadata:
  name: postgres
spec:
  type: LoadBalancer
  selector: {app: postgres}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata:
  name: frontend-external
spec:
  type: LoadBalancer
  selector: {app: frontend}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: cache
  annotations:
    networking.gke.io/load-balancer-type: Internal
spec:
  type: LoadBalancer
  selector: {app: redis}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Service
metadata:
  name: orders-nodeport
spec:
  type: NodePort
  selector: {app: orders}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: orders
spec:
  selector: {app: orders}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - http:
        paths:
          - path: /orders
            pathType: Prefix
            backend: {service: {name: orders, port: {number: 80}}}
"""


def test_datastore_and_ingress_bypass_are_reported_public_frontends_are_not() -> None:
    result = run({"k8s.yaml": K8S})
    assert lines_of(result, "missing-authentication") == [6, 35]


def test_compose_datastore_published_on_all_interfaces() -> None:
    compose = """
    services:
      db:
        image: postgres:16.3
        ports:
          - "5432:5432"
      cache:
        image: redis:7.2.4
        ports:
          - "127.0.0.1:6379:6379"
      web:
        build: .
        ports:
          - "8000:8000"
      app:
        build: .
        ports:
          - "9091:9000"
      postgres:
        build:
          context: .
          dockerfile: Dockerfile.db
        ports:
          - 5432:5432
      search:
        image: elasticsearch:8.13.4
        ports:
          - target: 9200
            published: 9200
    """
    result = run({"docker-compose.yml": compose})
    # `app` listens on 9000, which is also ClickHouse's port: only a ClickHouse image says it is one;
    # a database built from the project's own Dockerfile is still known by its port
    assert lines_of(result, "missing-authentication") == [5, 23, 27]
