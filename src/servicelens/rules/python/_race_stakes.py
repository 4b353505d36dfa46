"""What a lost update costs, judged from the names the code gives the quantity
(models/vocabulary/race_stakes.yaml).

Not a rule (it defines no RULE). The race-condition rules that find a read-modify-write
(py-race-lost-update, py-race-kv-read-modify-write) ask it how sure to be that a reviewer would
file the race: the same lost update is an overdraft on `wallet.balance`, a brute-force bypass on
`user.failed_login_count`, and one view too few on `media.views` or `episode.repeats`.

- `HELD`: a quantity someone owns or spends (money, stock, seats, quota, leave days, points):
  a lost debit overdraws it, a lost credit loses it.
- `GUESSES`: a counter of attempts at a secret (failed logins, wrong codes): lost increments
  let parallel guesses past the limit.
- `TALLY`: anything else (views, repeats, a cached failure count, a document count): a lost
  increment makes a number drift by one, which nobody acts on.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Iterable

from servicelens.rules.python._common import words
from servicelens.rules.python._purpose import vocabulary_file


class Stakes(str, Enum):
    HELD = "held"
    GUESSES = "guesses"
    TALLY = "tally"


@dataclass(frozen=True, slots=True)
class StakeWords:
    held: frozenset[str]
    attempts: frozenset[str]
    secrets: frozenset[str]
    text_fields: frozenset[str]


@lru_cache(maxsize=1)
def stake_words() -> StakeWords:
    """models/vocabulary/race_stakes.yaml, parsed once per process (package data)."""
    data = vocabulary_file("race_stakes.yaml")
    return StakeWords(**{key: frozenset(data[key]) for key in ("held", "attempts", "secrets", "text_fields")})


def stakes(quantity: Iterable[str], context: Iterable[str] = ()) -> Stakes:
    """`quantity`: the names the changed value goes by (field, local, key); `context`: where it
    changes (the function's name, the row's variable and model)."""
    vocabulary = stake_words()
    own = {w for name in quantity for w in words(name)}
    if own & vocabulary.held:
        return Stakes.HELD
    around = own | {w for name in context for w in words(name)}
    if own & vocabulary.attempts and around & vocabulary.secrets:
        return Stakes.GUESSES
    return Stakes.TALLY


def is_text_name(name: str) -> bool:
    """A field or column holding text, by its last word (`label`, `display_name`): rewriting it
    from what was read loses no count or amount."""
    return (words(name) or [""])[-1] in stake_words().text_fields
