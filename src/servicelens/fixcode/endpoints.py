"""A hard-coded endpoint read from the environment, where the code names it.

An endpoint held in a module constant is fixed on that constant (`INVENTORY_URL =
os.environ["INVENTORY_URL"]`); a literal in the call is replaced in the call itself, its path
kept in code (`"http://warehouse.internal/notify"` -> `f"{os.environ['WAREHOUSE_URL']}/notify"`),
under a variable named after the scheme or host (REDIS_URL, WAREHOUSE_URL, REDIS_HOST).
"""
from __future__ import annotations

import ast
import re

from servicelens.fixcode.source import statement

_URL = re.compile(r"^([a-z][a-z0-9+]*)://(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::\d+)?(.*)$", re.IGNORECASE)
_WEB = ("http", "https", "ws", "wss")
# client libraries whose name is not the service's: psycopg2.connect(host=...) -> DATABASE_HOST
_SERVICE = {"psycopg2": "database", "psycopg": "database", "pymysql": "database", "MySQLdb": "database",
            "asyncpg": "database", "sqlalchemy": "database", "smtplib": "smtp", "pika": "amqp", "aiokafka": "kafka",
            "pymongo": "mongodb", "motor": "mongodb", "aioredis": "redis", "ftplib": "ftp"}


def setting_name(value: str, api: str) -> str:
    """`redis://cache:6379` -> REDIS_URL, `http://warehouse.internal/x` -> WAREHOUSE_URL,
    host `10.0.3.17` for `redis.Redis` -> REDIS_HOST."""
    match = _URL.match(value)
    if match:
        scheme, host = match.group(1).lower(), match.group(2)
        label = host.split(".")[0]
        base = label if scheme in _WEB and re.fullmatch(r"[a-z][a-z0-9-]*", label) and label != "localhost" \
            else scheme.split("+")[0] if scheme not in _WEB else api.split(".")[0]
        return re.sub(r"\W", "_", base).upper() + "_URL"
    root = api.split(".")[0]
    return re.sub(r"\W", "_", _SERVICE.get(root, root)).upper() + "_HOST"


def constant_from_env(name: str, value: str) -> str:
    """The module constant `name` read from the environment, its old value shown as the example."""
    return f'import os\n\n{name} = os.environ["{name}"]  # e.g. {value}'


def literal_from_env(code: str, value: str, api: str) -> str | None:
    """The statement `code` with the literal `value` read from the environment (a URL's path
    stays in code)."""
    stmt = statement(code)
    if stmt is None:
        return None
    literal = next((n for n in ast.walk(stmt.node) if isinstance(n, ast.Constant) and n.value == value), None)
    if literal is None:
        return None
    name = setting_name(value, api)
    match = _URL.match(value)
    path = match.group(3) if match and match.group(1).lower() in _WEB else ""
    new = f"f\"{{os.environ['{name}']}}{path}\"" if path and path != "/" else f'os.environ["{name}"]'
    fixed = stmt.replace(literal, new)
    if fixed.rstrip().endswith(":"):
        fixed += "\n    ..."  # a compound statement's header (`with psycopg.connect(...) as conn:`) keeps a body
    return f"import os\n\n{fixed}"
