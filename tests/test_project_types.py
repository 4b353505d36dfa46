"""Parameter types defined in one module and used in another (frameworks/project_types.py)."""
from __future__ import annotations

from textwrap import dedent

from servicelens.frameworks.project_types import (
    INJECTED,
    VALIDATED,
    project_type_entries,
    project_types,
)

_TYPES = dedent('''
    from enum import Enum
    from typing import Annotated, TypeAlias

    from fastapi import Depends, Path, Query, Security

    SkuId = Annotated[str, Path(
        pattern=r"^[a-z0-9-]{1,36}$",
    )]
    Ref: TypeAlias = Annotated[str, Query(pattern=r"^ref-[0-9]+$")]
    type Code = Annotated[str, Query(pattern=r"^[A-Z]{3}$")]
    Label = Annotated[str, Query(max_length=80)]  # no pattern: any text
    Loose = Annotated[str, Path(pattern=r"^.+$")]
    CurrentUser = Annotated[object, Depends(current_user)]


    class Shelf(str, Enum):
        FRONT = "front"


    def require_scopes(*scopes: str):
        return Annotated[object, Security(current_user, scopes=list(scopes))]


    def batch_path():
        return Path(pattern=r"^b[0-9]{6}$")


    def helper(value):
        return value.strip()
    ''')


def _entries() -> frozenset[str]:
    scopes = dedent('''
        from app.types import require_scopes
        from .types import SkuId as PublicSku

        ViewItems: type = require_scopes("items:read")
        ''')
    return project_type_entries([("app/types.py", "import fastapi\n" + _TYPES), ("app/scopes.py", scopes),
                                 ("app/routes.py", "from fastapi import APIRouter\n")])


def test_aliases_and_factories_are_recorded_where_they_are_defined() -> None:
    entries = _entries()
    validated = {e[len(VALIDATED):] for e in entries if e.startswith(VALIDATED)}
    injected = {e[len(INJECTED):] for e in entries if e.startswith(INJECTED)}
    assert {"app.types.SkuId", "app.types.Ref", "app.types.Code", "app.types.Shelf", "app.types.batch_path"} <= validated
    assert not {"app.types.Label", "app.types.Loose", "app.types.helper"} & validated
    assert {"app.types.CurrentUser", "app.types.require_scopes"} <= injected
    # the names other modules give them: a re-export, an alias built by calling an injecting factory
    assert "app.scopes.PublicSku" in validated and "app.scopes.ViewItems" in injected


def test_a_name_is_looked_up_through_the_modules_imports() -> None:
    table = project_types(_entries())
    imports = {"SkuId": "app.types.SkuId", "scopes": "app.scopes", "Loose": "app.types.Loose"}
    assert table.validates("SkuId", imports, "app.routes")
    assert table.injects("scopes.ViewItems", imports, "app.routes")
    assert not table.validates("Loose", imports, "app.routes")
    assert not table.validates("SkuId", {}, "app.routes")  # not imported, not defined there


def test_nothing_is_read_from_a_project_without_fastapi() -> None:
    assert project_type_entries([("app/types.py", _TYPES.replace("fastapi", "somelib"))]) == frozenset()
