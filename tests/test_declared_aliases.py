"""Type aliases a project declares for its parameters (taint.declared_aliases)."""
from __future__ import annotations

from servicelens.taint.declared_aliases import aliased_type, declared_alias_entries, declared_aliases


def test_aliases_name_the_type_they_stand_for_across_modules() -> None:
    entries = declared_alias_entries([
        ("app/deps.py", "from typing import Annotated\nfrom .repo import CustomerRepository\n"
                        "CustomerRepo = Annotated[CustomerRepository, Depends(get_repo)]\n"
                        "SessionDep: TypeAlias = Annotated[AsyncSession, Depends(get_session)]\n"
                        "type Page = Annotated[PageParams, Depends()]\n"
                        "OrgId = Annotated[int, Path(ge=1)]\n"
                        "class Local:\n    pass\n\nLocalDep = Annotated[Local, Depends(Local)]\n"),
        ("app/__init__.py", "from .repo import Store as S\nStoreDep = Annotated[S, Depends(f)]\n"),
        ("app/api/v1/items.py", "from ...repo import Store\nItemStore = Annotated[Store, Depends(f)]\n"),
        ("app/other.py", "CustomerRepo = Annotated[\n    CustomerRepository, Depends(x)]\n"),  # no import: as written
    ])
    aliases = declared_aliases(entries)
    assert aliases == {"app.deps.CustomerRepo": "app.repo.CustomerRepository", "app.deps.SessionDep": "AsyncSession",
                       "app.deps.Page": "PageParams", "app.deps.LocalDep": "app.deps.Local",
                       "app.StoreDep": "app.repo.Store", "app.api.v1.items.ItemStore": "app.repo.Store",
                       "app.other.CustomerRepo": "CustomerRepository"}
    assert "app.deps.OrgId" not in aliases  # a value type, not an object
    assert aliased_type("app.deps.CustomerRepo", aliases) == "app.repo.CustomerRepository"
    assert aliased_type("deps.CustomerRepo", aliases) == "app.repo.CustomerRepository"  # review started in `app`
    assert aliased_type("CustomerRepo", aliases) is None  # unqualified: which module's?
