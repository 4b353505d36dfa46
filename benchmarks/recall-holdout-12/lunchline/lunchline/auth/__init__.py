from dataclasses import dataclass

from flask import g


@dataclass(frozen=True)
class Principal:
    user_id: int
    role: str
    school_id: int | None = None
    terminal_id: int | None = None


def current_principal() -> Principal:
    return g.principal
