"""Names from the user (an entity in the text or the spec) made safe for generated code.

A name reaches SQL DDL, OpenAPI paths and four languages' source. Rather than quoting
it differently in each, it is reduced once to an alphabet every target accepts,
[a-z][a-z0-9_]*, steered clear of every target's reserved words; free text that must
appear in a comment or docstring goes through `comment_safe` so it cannot end one.
"""
from __future__ import annotations

import keyword
import re
import unicodedata

FALLBACK_ENTITY = "item"
RESERVED_SUFFIX = "_item"
MAX_IDENTIFIER_CHARS = 30  # keeps derived names (ix_<table>_<columns>) under PostgreSQL's 63

_SQL_RESERVED = frozenset("""
all analyse analyze and any array as asc asymmetric authorization between binary both case cast
check collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user default deferrable desc
distinct do else end except false fetch for foreign freeze from full grant group having ilike in
initially inner intersect into is isnull join lateral leading left like limit localtime
localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric system_user table tablesample
then to trailing true union unique user using variadic verbose when where window with
values index transaction exists commit escape nothing
""".split())  # the last line: words SQLite (the self-check's engine) refuses as a table name
_PYTHON_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset({"self", "cls"})
_JAVA_RESERVED = frozenset("""
abstract assert boolean break byte case catch char class const continue default do double else
enum extends final finally float for goto if implements import instanceof int interface long native
new package private protected public return short static strictfp super switch synchronized this
throw throws transient try void volatile while true false null var record yield sealed permits
""".split())
_TS_RESERVED = frozenset("""
break case catch class const continue debugger default delete do else enum export extends false
finally for function if import in instanceof new null return super switch this throw true try typeof
var void while with as implements interface let package private protected public static yield any
boolean constructor declare get module require number set string symbol type from of await async
undefined
""".split())
_GO_RESERVED = frozenset("""
break default func interface select case defer go map struct chan else goto package switch const
fallthrough if range type continue for import return var any bool byte comparable complex64
complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32
uint64 uintptr true false iota nil append cap clear close complex copy delete imag len make max min
new panic print println real recover
""".split())
RESERVED = _SQL_RESERVED | _PYTHON_RESERVED | _JAVA_RESERVED | _TS_RESERVED | _GO_RESERVED


def snake_identifier(raw: str, fallback: str = FALLBACK_ENTITY) -> str:
    """Any text -> [a-z][a-z0-9_]* ('x; DROP TABLE users; --' -> 'x_drop_table_users')."""
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if name[:1].isdigit():
        name = f"{fallback}_{name}"
    name = name[:MAX_IDENTIFIER_CHARS].rstrip("_")
    return name or fallback


def entity_names(raw: str) -> tuple[str, str]:
    """(singular, plural) of a resource, both safe identifiers and neither a reserved word.
    Regular English inflection: categories/category, branches/branch, boxes/box."""
    base = snake_identifier(raw)
    singular = _singular(base).rstrip("_") or FALLBACK_ENTITY
    plural = base if base != singular else _plural(singular)
    if singular in RESERVED or plural in RESERVED:
        singular += RESERVED_SUFFIX
        plural = singular + "s"
    return singular, plural


_VOWELS = "aeiou"
# Singular nouns in "-us" whose plural is "-uses" ("statuses" -> "status"; "causes" is "cause"s).
_LATIN_US = frozenset("status bus campus virus bonus census corpus focus radius nexus surplus stimulus syllabus "
                      "apparatus consensus prospectus genus cactus chorus octopus walrus circus thesaurus".split())
# Nouns whose singular ends in "u": only their plural ends in "us" ("menus", "skus"). Any other
# word in "-us" is singular already ("status", "bus", "bonus", "plus", "campus", "virus").
_U_NOUNS = frozenset("menu sku cpu gpu guru emu gnu haiku tofu tutu imu ecu mcu kpu bureau".split())
# Singular nouns that end in "s" after a letter the rules below would strip: a mass or
# collective noun ("news", "series", "analytics"), "-as" singulars ("gas", "canvas", "alias").
_S_SINGULARS = frozenset("news series species means physics economics mathematics analytics logistics ethics "
                         "gas canvas atlas alias bias christmas lens chaos saas paas iaas".split())
# Mass nouns and nouns whose plural is the singular ("news", "series", "data").
_SAME_PLURAL = frozenset("news series species means physics economics mathematics analytics logistics ethics data "
                         "metadata chaos saas paas iaas".split())


def singular(word: str) -> str:
    """A noun's singular by the regular English endings, keeping what only looks plural: an
    acronym ("sms"), a word in "-us" ("status", "plus"), "-is" and "-ss" ("analysis", "class"),
    a mass noun ("news"), and a word whose stripped form would be too short to be a noun
    ("has", "was": a verb, never the plural of "ha")."""
    if word.endswith("s") and not re.search(r"[aeiouy]", word[:-1]):
        return word  # an acronym ("sms", "gps") has no plural "s" to drop
    if word in _S_SINGULARS or (word.endswith("s") and len(word) <= 3):
        return word
    if word.endswith("ses") and word[:-2] in _S_SINGULARS:
        return word[:-2]  # "aliases", "biases"
    if word.endswith("us"):
        return word[:-1] if word[:-1] in _U_NOUNS else word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ch|sh|x|z|ss)es$", word) or word[:-2] in _LATIN_US:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "is")):
        return word[:-1]
    return word


_singular = singular  # the module's own callers


def _plural(word: str) -> str:
    if word in _SAME_PLURAL:
        return word
    if not re.search(r"[aeiouy]", word):
        return word  # "sms" is its own plural
    if word.endswith("is") and len(word) > 3:
        return word[:-2] + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    if re.search(r"(?:ch|sh|x|z|ss|s)$", word):
        return word + "es"
    return word + "s"


def text_word(name: str) -> str:
    """The text's word for an entity whose name was suffixed to avoid a reserved word
    ("group_item" -> "group"); any other name as it is."""
    base = name[:-len(RESERVED_SUFFIX)] if name.endswith(RESERVED_SUFFIX) else ""
    return base if base in RESERVED else name


def plural(word: str) -> str:
    """A noun's plural by the regular English endings ("city" -> "cities", "box" -> "boxes")."""
    return _plural(word)


def comment_safe(text: str) -> str:
    """Text for a one-line comment or docstring in any target: no line breaks, no
    terminators (`*/`, `\"\"\"`), no escapes (backslash), no control characters."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat.replace("\\", "/").replace("*/", "* /").replace('"""', "'''").replace("/*", "/ *")
