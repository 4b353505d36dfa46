"""Sign-in for a tool only the organisation's own staff use: the company's identity provider.

A system whose people are all the company's own staff ("~300 staff", "our 1,500 employees",
"an 800-person company") already has an identity for every one of them: the directory that
logs them into mail and chat. An engineer does not build a password store for such a tool;
it signs people in through the company's identity provider (OIDC/SAML), so a leaver loses
access the day the directory disables them, and roles come from directory groups. The text
rarely says so: it is implied by who the users are.

Found when the text counts the organisation's staff and names no one from outside it (no
customers, members, patients, applicants ...): the block `staff_sign_in` with the phrase that
counts the staff as its argument. An identity provider the text names is its `sso` constraint,
which brings its own login: the design then drops this block (`without_named_login`).
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.model.design import Component, Constraint

STAFF_BLOCKS = ("staff_sign_in",)

# "~300 staff", "1,500 employees", "an 800-person company", "a 5,000-employee company", and people
# counted in a sentence about the workplace ("a lunch-ordering thing for the office? ~140 people")
_WORKPLACE = r"(?:office|company|firm|workplace|headquarters|hq)"
_STAFF = re.compile(r"\b\d[\d,.]*\s*(?:k\s+)?(?:staff|employees|staffers)\b|"
                    r"\b\d[\d,.]*[- ](?:person|people|employee|staff)\s+(?:company|organi[sz]ation|firm|business|office)\b|"
                    rf"\b{_WORKPLACE}\b[^.;!]{{0,40}}?\d[\d,.]*\s+people\b|\b\d[\d,.]*\s+people\b[^.;!]{{0,40}}?\b{_WORKPLACE}\b",
                    re.I)
# People from outside the organisation: a system they use signs in more than the staff.
_OUTSIDE = re.compile(r"\b(?:customers?|clients?|public|members?|patients?|students?|pupils?|parents?|visitors?|guests?|"
                      r"applicants?|candidates?|citizens?|buyers?|sellers?|shoppers?|subscribers?|riders?|passengers?|"
                      r"fans?|players?|tenants?|merchants?|partners?|suppliers?|vendors?|donors?|volunteers?|"
                      r"consumers?|travell?ers?|residents?|borrowers?|patrons?|learners?|attendees?|users)\b", re.I)


def find_staff_sign_in(text: str) -> tuple[tuple[str, str], ...]:
    """(`staff_sign_in`, the phrase counting the staff) for a tool only the staff use."""
    staff = _STAFF.search(text)
    if not staff or _OUTSIDE.search(text):
        return ()
    return (("staff_sign_in", " ".join(re.search(r"\d[\d,.]*\S*\s+\S+", staff.group(0)).group(0).split())),)


def without_named_login(workloads: tuple[tuple[str, str], ...], constraints: tuple[Constraint, ...]) -> tuple[tuple[str, str], ...]:
    """The workloads without `staff_sign_in` when the text names its identity provider (an `sso`
    constraint): that constraint's login is the same component, named after the provider."""
    if not any(c.kind == "sso" for c in constraints):
        return workloads
    return tuple((kind, arg) for kind, arg in workloads if kind not in STAFF_BLOCKS)


def staff_sign_in_block(argument: str) -> Block:
    """The company SSO login that replaces a password store of the tool's own."""
    login = Component("Company SSO login (the organisation's identity provider)",
                      "staff sign in with the directory account they already have; the service validates the provider's "
                      "tokens, maps roles from directory groups and stores no passwords",
                      "OIDC/SAML against the company identity provider")
    why = ("every user is the organisation's own staff, who already have a directory identity: signing in through it "
           "stores no passwords and removes a leaver's access when the directory disables them")
    return Block("staff_sign_in", (login,), why, f"staff sign in: {argument or 'staff'}", ())
