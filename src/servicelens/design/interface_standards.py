"""Message standards the system exchanges data in: "results arrive as HL7 v2 messages",
"sites integrate via FHIR R4", "chargers speak OCPP 1.6J", "EDI 204/990 messages over AS2".

A standard named by an acronym and a version, written as the form or the channel of an
exchange (after as / via / through / using / speak, or before messages / interface / API /
feed), is a boundary the design must have a part for: an adapter that speaks it, validates and
acknowledges each message and translates it to the service's own model. The same name written
as something the system only conforms to ("must meet WCAG 2.2 AA", "ISBT 128 donation number")
is no exchange and adds nothing. The constraint is read by the form of the sentence, never from
a list of standards.
"""
from __future__ import annotations

import re
from typing import Any

from servicelens.design.text import statement_bounds
from servicelens.model.design import Constraint

KIND = "interface"

# One or two acronyms ("HL7 FHIR") and a version ("v2", "R4", "8583", "1.6J", "204/990"); not
# a size, a share or a duration ("TLS 10 ms", "ISO 5 GB").
_STANDARD = re.compile(r"\b((?:[A-Z][A-Z0-9]{1,7}\s+)?[A-Z][A-Z0-9]{1,7})\s+((?:v|R)?\d+(?:[./]\d+)*[A-Za-z]?)\b"
                       r"(?!\s*(?:%|[kKmMgGtT]?[bB]\b|ms\b|s\b|seconds?\b|minutes?\b|hours?\b|days?\b))")
# The standard is the form or the channel of an exchange: the word right before it ...
_CUE_BEFORE = re.compile(r"\b(?:as|via|through|using|speaks?|speaking|integrat\w*\s+(?:via|through|using|over))\s+$", re.I)
# A cue word that follows conformance or protection is no exchange: "standards such as PCI DSS 4.0",
# "certified as ISO 27001", "traffic encrypted using TLS 1.3".
_NOT_EXCHANGE = re.compile(r"\b(?:such|certified|accredited|compliant|classified|rated|recogni[sz]ed|"
                           r"encrypt\w*|secur\w*|protect\w*|hash\w*)\s+(?:as|via|through|using|with)\s+$", re.I)
# ... or the word right after it (a message type such as "ORU" may stand between).
_CUE_AFTER = re.compile(r"^\s+(?:[A-Z][A-Z0-9]{1,5}\s+)?(?:messages?|interfaces?|apis?|feeds?|resources?|endpoints?)\b", re.I)


def interface_standards(text: str, data: dict[str, Any]) -> tuple[Constraint, ...]:
    """One `interface` constraint per standard the text exchanges data in, in order of mention."""
    spec = data.get("constraints", {}).get(KIND)
    if not spec:
        return ()
    out: list[Constraint] = []
    seen: set[str] = set()
    for m in _STANDARD.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        if not ((_CUE_BEFORE.search(before) and not _NOT_EXCHANGE.search(before))
                or _CUE_AFTER.match(text[m.end():m.end() + 30])):
            continue
        value = " ".join(m.group(0).split())
        if value.lower() in seen:
            continue
        seen.add(value.lower())
        a, b = statement_bounds(text, m.start())
        out.append(Constraint(KIND, value, " ".join(text[a:b].split()), spec["consequence"]))
    return tuple(out)
