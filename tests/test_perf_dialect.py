"""Which database a project configures, and when its foreign-key columns are indexed anyway."""
from __future__ import annotations

from textwrap import dedent

from servicelens.lang.python import lower_module
from servicelens.rules.python.perf_dialect import configured_dialects, foreign_keys_indexed
from servicelens.sources.parsing import ParserPool


def dialects(source: str) -> frozenset[str]:
    text = dedent(source)
    tree = ParserPool().parse("python", text.encode())
    return configured_dialects(lower_module(tree.root_node, "app/settings.py", tuple(text.splitlines())))


def test_urls_driver_names_and_django_engines_name_the_database() -> None:
    assert dialects('SQLALCHEMY_DATABASE_URI = "mysql+pymysql://shop@db/shop"\n') == {"mysql"}
    assert dialects('url = os.getenv("DATABASE_URL", "postgresql+asyncpg://app@db/app")\n') == {"postgresql"}
    assert dialects('DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop"}}\n') == {"mysql"}
    assert dialects('driver = os.environ.get("DB_DRIVER") or "mariadb+mariadbconnector"\n') == {"mysql"}


def test_a_url_the_code_only_tests_against_is_not_the_configured_database() -> None:
    assert dialects("""
        def is_postgres(uri):
            return uri.startswith("postgres") or uri.split(":")[0] == "postgresql"
        """) == frozenset()
    assert dialects('NOTE = "we once ran on mysqld"\n') == frozenset()


def test_only_a_mysql_project_has_its_foreign_keys_indexed_for_it() -> None:
    assert foreign_keys_indexed(frozenset({"mysql"}))
    assert foreign_keys_indexed(frozenset({"mysql", "sqlite"}))  # SQLite as the developer's fallback
    assert not foreign_keys_indexed(frozenset({"mysql", "postgresql"}))  # PostgreSQL does not index them
    assert not foreign_keys_indexed(frozenset({"postgresql"}))
    assert not foreign_keys_indexed(frozenset())
