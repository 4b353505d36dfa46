"""What a lost update costs, judged from the names the code gives the quantity.

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

from enum import Enum
from typing import Iterable

from servicelens.rules.python._common import words


class Stakes(str, Enum):
    HELD = "held"
    GUESSES = "guesses"
    TALLY = "tally"


# words naming a quantity that is owned, spent or reserved
_HELD_WORDS = frozenset({
    "balance", "balances", "credit", "credits", "debit", "wallet", "money", "cash", "funds", "fund", "amount",
    "payout", "deposit", "debt", "owed", "outstanding", "budget", "allowance", "points", "coins", "stock",
    "stocks", "inventory", "quantity", "qty", "seats", "seat", "slots", "capacity", "tickets", "units",
    "quota", "quotas", "remaining", "available", "left", "reserved", "days", "hours", "uses", "redemptions",
    "bonus", "reward", "rewards", "spent", "usage",
})
# words naming a count of tries ...
_ATTEMPT_WORDS = frozenset({"attempt", "attempts", "tries", "retries", "failed", "failure", "failures", "fails",
                            "times", "wrong", "invalid"})
# ... and the secret being tried, in the counter's name or its context (function, row, key)
_SECRET_WORDS = frozenset({"login", "logins", "signin", "logon", "password", "passwd", "pwd", "passcode", "code",
                           "otp", "totp", "mfa", "pin", "verify", "verified", "verification", "auth",
                           "authenticate", "authentication", "token", "secret", "captcha", "lockout", "activation",
                           "activate", "challenge", "credential", "credentials"})


def stakes(quantity: Iterable[str], context: Iterable[str] = ()) -> Stakes:
    """`quantity`: the names the changed value goes by (field, local, key); `context`: where it
    changes (the function's name, the row's variable and model)."""
    own = {w for name in quantity for w in words(name)}
    if own & _HELD_WORDS:
        return Stakes.HELD
    around = own | {w for name in context for w in words(name)}
    if own & _ATTEMPT_WORDS and around & _SECRET_WORDS:
        return Stakes.GUESSES
    return Stakes.TALLY


# fields that hold text: `title = title + suffix` concatenates, no quantity is lost
_TEXT_FIELDS = frozenset({"title", "name", "subtitle", "description", "text", "label", "notes", "note", "comment",
                          "comments", "body", "summary", "slug", "path", "url", "email", "message", "content",
                          "bio", "tags", "log", "history", "caption", "remarks", "display"})


def is_text_name(name: str) -> bool:
    """A field or column holding text, by its last word (`label`, `display_name`): rewriting it
    from what was read loses no count or amount."""
    return (words(name) or [""])[-1] in _TEXT_FIELDS
