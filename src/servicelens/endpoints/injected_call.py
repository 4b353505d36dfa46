"""InjectedCall: a method a handler calls on what a dependency handed it (endpoints.injected_objects)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InjectedCall:
    """`auth.authorize_request(request, ns, perms, require=True)` on `auth=Depends(get_auth)`."""

    dependency: str  # the dependency's project-wide name
    call: str  # "auth.authorize_request", as the handler spells it
    type_name: str = ""  # the object's class, project-wide, when the parameter or dependency says it
    # its keyword arguments with their literal value: ("require", "True"); "" when not a literal
    keywords: tuple[tuple[str, str], ...] = ()
    positional: int = 0  # how many positional arguments the call passes
    conditional: bool = False  # made only under a test, in a loop or in an `except` block of the handler

    @property
    def method(self) -> str:
        return self.call.rsplit(".", 1)[-1]
