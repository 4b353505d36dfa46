"""Operations from the grammar of a sentence rather than from a list of known verbs.

Engineers name what a system does with whatever verb fits ("couriers drop off parcels",
"holders transfer credits", "riders tap in", "site staff enrol a patient"). A closed verb
list misses most of them in a kind of system nobody listed. Here a word is read as a verb
by its position: right after the people or things doing it (a plural subject, or "the
service" with a verb ending in -s), after a modal ("can invite"), after "to"/"then", a
gerund with an object ("unblinding a patient"), a passive ("credits are retired"), or a
nominalisation ("cancellation of a booking"). A particle right after it makes a phrasal
verb ("pick up", "tap in", "hand over"), and a pronoun object ("pick them up") stands for
the thing named last. Inflections are undone by spelling rules, not by a dictionary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
                         "hundred hundreds thousand thousands million millions billion billions dozen dozens".split())
PARTICLES = frozenset("up in out off over back down on away".split())
# Verbs that state a fact about the system or its load, not an operation anyone calls.
NOT_OPERATIONS = frozenset("""
be is are was were been being have has had do does did keep need want expect go come make take hit reach grow exist
seem become contain include allow require support happen stay remain average average live mean say think know like
prefer try use work sit depend matter count cost last take belong consist vary range span peak spike exceed
cover involve let help start begin continue tend plan hope wish get gets got see seen number poll
manage handle provide build design implement offer serve power create want architect scale store track
""".split()) - {"start"}
# Participles that say where a thing is or what it is, not what was done to it ("clinics based
# in Leeds", "fees related to a loan").
DESCRIBING_PARTICIPLES = frozenset("based located related called named dedicated associated limited concerned "
                                   "involved interested qualified experienced aged sized shaped priced skilled".split())
# A light verb takes its meaning from its object: "make a booking" creates one.
_LIGHT_VERBS = {"make": "create"}
_MODALS = frozenset("can could may might must should shall will would to then".split())
_ADVERBS = frozenset("also only just never always still often usually sometimes first later again then "
                     "immediately instantly automatically directly manually easily quickly each ever even eventually "
                     "promptly simply really actually".split())
_FUNCTION = frozenset("""
a an the their its his her my our your this that these those each every all any some no not and or but nor if when
while where which who whom whose what how why as at by for from in into of on onto to with within without via per
than so too very it they them we us you he she i me him there here be is are was were been being has have had do
does did can could may might must should shall will would about above after again against around because before
below between both during further once other own same such through under until up down out off over more most
someone anyone everyone nobody somebody anybody everybody something anything everything nothing
""".split()) | frozenset(NUMBER_WORDS)
_DETERMINERS = frozenset("a an the their its his her my our your this that these those each every any some "
                         "one new own other same".split())
_PRONOUNS = frozenset({"it", "them", "one", "ones"})
_PEOPLE = frozenset("we staff people team hr admin owner".split())
# A word right after a subject pronoun is its verb ("I publish", "they return").
_SUBJECT_PRONOUNS = frozenset("i we they you".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*(?:'s\b|'(?=\s|$))?|\d[\d.,]*[A-Za-z]*|[.;:!?,()]")
_POSSESSIVE = re.compile(r"(?:'s|')$")
_BOUNDARY = frozenset(".;:!?,()")
# Requirements are hard-wrapped anywhere; only a blank line or a list item ends a sentence.
_LINE_BREAK = re.compile(r"\n\s*(?:\n|[-*\u2022]\s|\d+[.)]\s)")
# "lets managers approve requests", "helps staff find parcels": the next noun is the actor of a bare verb.
# "GPs in 1,100 practices", "staff at each branch": a place that qualifies the actor before it.
_PLACE_PREPOSITIONS = frozenset("in at across from".split())
_CLAUSE_OPENERS = frozenset("and or but then so while when where once after before let lets help helps "
                            "unless until because whenever although though whereas".split())
# Words that open or qualify a clause and never name an act, although a sentence may start with
# them before a determiner ("Twice a year plots ...", "Today each team ...", ", unless a proctor
# flags ..."): read as imperatives they made operations such as "twice_plot" and "unless_proctor".
CLAUSE_WORDS = frozenset("unless until because whenever although though whereas twice thrice today tonight "
                         "tomorrow yesterday plus minus nowadays currently".split())


@dataclass(frozen=True, slots=True)
class VerbPhrase:
    """A verb (base form, particle joined by '_') acting on an object noun from the text."""

    verb: str
    obj: str  # the object noun as written (plural or singular)
    phrase: str


# Irregular past tenses and participles, to their base verb (read where a participle is expected:
# reduced_passives; `lemma` keeps to spelling rules).
IRREGULAR_PAST = {
    "taken": "take", "took": "take", "given": "give", "gave": "give", "sent": "send", "paid": "pay", "sold": "sell",
    "held": "hold", "written": "write", "wrote": "write", "built": "build", "bought": "buy", "drawn": "draw",
    "drew": "draw", "withdrawn": "withdraw", "withdrew": "withdraw", "thrown": "throw", "threw": "throw",
    "brought": "bring", "told": "tell", "chosen": "choose", "chose": "choose", "frozen": "freeze", "froze": "freeze",
    "broken": "break", "broke": "break", "driven": "drive", "drove": "drive", "stolen": "steal", "stole": "steal",
    "lent": "lend", "sworn": "swear", "shown": "show", "overridden": "override", "rewritten": "rewrite",
    "undone": "undo", "redone": "redo", "struck": "strike", "bound": "bind", "made": "make", "kept": "keep",
    "found": "find", "seen": "see", "saw": "see", "done": "do", "did": "do", "went": "go", "gone": "go",
    "won": "win", "lost": "lose", "left": "leave", "met": "meet", "began": "begin", "begun": "begin", "ran": "run",
}


def lemma(word: str) -> str:
    """The base form of an inflected verb by spelling rules: "retired" -> "retire",
    "submitted" -> "submit", "allocates" -> "allocate", "carries" -> "carry"."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:ss|ch|sh|x|z)es$", w) or w in ("goes", "does", "undoes", "redoes"):
        return w[:-2]
    if w.endswith("ed") and len(w) > 4:
        return _restore_e(w[:-2])
    if w.endswith("ing") and len(w) > 5:
        return _restore_e(w[:-3])
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


# Stems that end in consonant-vowel-consonant but take no silent e (unstressed last syllable).
_NO_E_ENDINGS = ("er", "en", "el", "it", "et", "on", "om", "al", "ol", "ow", "ew", "aw", "ey", "ay", "oy", "ic", "ip")
_E_STEMS = frozenset("stor scor ignor restor explor invit unit cit excit ignit delet complet compet". split())


def _restore_e(stem: str) -> str:
    if stem.endswith("ell") and len(stem) > 5:
        return stem[:-1]  # "cancell" -> "cancel", "labell" -> "label" (British doubling)
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]  # "submitt" -> "submit", "shipp" -> "ship"
    if re.search(r"(?<!q)[aeiou]{2}r$", stem):
        return stem  # "repair", "pour", "clear", "steer": a vowel pair before r takes no e ("requir" does)
    if stem.endswith("u") and len(stem) >= 3:
        return stem + "e"  # "issu" -> "issue", "queu" -> "queue", "continu" -> "continue"
    if stem in _E_STEMS or stem.endswith(("at", "v", "iz", "is", "ys", "ur", "ir", "ang", "eng", "rg", "dg", "uc", "rc", "ac", "ic", "enc", "anc", "unc", "iag", "nag")):
        return stem + "e" if not stem.endswith(("eat", "oat")) or stem == "creat" else stem
    if re.search(r"[aeiou]s$", stem) or re.search(r"[nrlp]s$", stem):
        return stem + "e"  # "releas" -> "release", "licens" -> "license", "revers" -> "reverse"
    if stem.endswith(_NO_E_ENDINGS):
        return stem
    if re.search(r"(?:^|[^aeiou])[aeiou][bcdfgklmnprtv]$", stem):
        return stem + "e"  # "retir" -> "retire", "vot" -> "vote", "revok" -> "revoke"
    return stem


_NOMINAL = re.compile(r"^(?P<stem>[a-z]{3,}?)(?P<suffix>ication|isation|ization|ation|ission|ment|etion|ction|rtion|al)$")


def verb_of_nominalisation(word: str) -> str:
    """'cancellation' -> 'cancel', 'allocation' -> 'allocate', 'approval' -> 'approve',
    'payment' -> 'pay', 'submission' -> 'submit', 'deletion' -> 'delete'; '' when the word
    is not one of these shapes."""
    m = _NOMINAL.match(word.lower())
    if not m:
        return ""
    stem, suffix = m.group("stem"), m.group("suffix")
    if suffix == "ication":
        return stem + "y"
    if suffix in ("isation", "ization"):
        return stem + suffix[:2] + "e"  # "authorisation" -> "authorise"
    if suffix == "ission":
        return stem + "it"
    if suffix == "ment":
        if len(stem) == 3 and not stem.endswith("y"):
            return word.lower()  # "comment", "cement": the word is its own verb ("com" is none)
        return stem if len(stem) >= 3 else ""
    if suffix == "etion":
        return stem + "ete"
    if suffix in ("ction", "rtion"):
        return stem + suffix[:2]
    if suffix == "al":
        if not re.search(r"(?:ov|ew|aw|ent|us|os|iev|iv)$", stem):
            return ""  # "total", "portal", "animal" are not actions
        return stem + "e" if stem.endswith(("v", "s")) else stem
    if stem.endswith("ll"):
        return stem[:-1]  # "cancell" -> "cancel"
    if stem.endswith(("v", "ir")):
        return stem + "e"
    if stem.endswith("tr"):
        return stem[:-1] + "er"  # "registr" -> "register"
    if re.search(r"[^aeiou][^aeiou]$", stem) and not stem.endswith(("ul", "ic", "il")):
        return stem  # "confirm", "export", "inform"
    return stem + "ate"


def verb_phrases(text: str, is_thing) -> tuple[VerbPhrase, ...]:
    """Every verb + object the sentence shapes reveal; `is_thing` says whether a word can
    name a thing the system keeps."""
    toks = [m.group(0) for m in _WORD.finditer(_LINE_BREAK.sub(" . ", text))]
    # a possessive ("customers' data") is followed by the noun it owns, never by a verb
    possessive = {i for i, t in enumerate(toks) if _POSSESSIVE.search(t)}
    toks = [_POSSESSIVE.sub("", t) for t in toks]
    low = [t.lower() for t in toks]
    out: list[VerbPhrase] = []
    last_object, actor = "", ""
    last_at = -1
    verbs_here: set[str] = set()
    coordinated: dict[int, str] = {}  # verbs that share the object of the verb before them, with it
    verb_at: set[int] = set()
    sentence_start = previous_start = 0
    for i, word in enumerate(low):
        if word in _BOUNDARY and word != ",":
            verbs_here, sentence_start, previous_start = set(), i, sentence_start
        form = "" if i - 1 in possessive else ("inflected" if i in coordinated else _verb_form(low, i, verbs_here, is_thing))
        if not form:
            continue
        if word in DESCRIBING_PARTICIPLES:
            continue
        # "vets prescribed antibiotics": a past tense read in a base verb's place is still that verb
        inflected = word.endswith("ed") and not word.endswith("eed") and len(word) > 4
        base = lemma(word) if form != "base" or inflected else word
        light = _LIGHT_VERBS.get(base, "")
        if light and i + 1 < len(low) and low[i + 1] not in _PRONOUNS and low[i + 1] not in PARTICLES:
            base = light  # "diners make 2 million bookings": making a booking is creating one
        else:
            light = ""
        base = _REDONE.sub("re", base)  # "re-run a build" is one verb, rerun
        if (base in NOT_OPERATIONS and not light) or len(base) < 3 or base in _FUNCTION or "-" in base:
            continue  # "audit-logged" is a compound, not a verb anyone calls
        j = i + 1
        particle = ""
        while j + 1 < len(low) and (low[j], low[j + 1]) in _ADVERBIAL_PAIRS:
            j += 2  # "each build resolves on average 600 artifacts": the object follows the adverbial
        if j < len(low) and low[j] in PARTICLES and not (low[j] == "up" and j + 1 < len(low) and low[j + 1] == "to"):
            particle, j = low[j], j + 1  # "up to 1,500 bets" bounds a number: no particle
        obj, end = _object_after(low, j, is_thing)
        if light and (not obj or obj in _PRONOUNS):
            continue  # "make sure", "make it fast": no thing is made
        if not obj and particle and j + 1 < len(low) and low[j] in ("for", "on"):
            obj, end = _object_after(low, j + 1, is_thing)  # "sign up for matches", "bid on lots"
        partner: tuple[int, ...] = ()
        if i in coordinated:
            obj, end = coordinated[i], i
        elif not obj and not particle:
            obj, end, partner = _shared_object(low, j, is_thing)  # "approve or reject requests"
        if obj in _PRONOUNS:
            if not particle and end + 1 < len(low) and low[end + 1] in PARTICLES:
                particle, end = low[end + 1], end + 1
            # an object read earlier in the same sentence is what the pronoun repeats ("find a car
            # on the map, book it"); with none, the nearest thing before the verb is
            nearer = _antecedent(low, i, last_at, is_thing, verb_at) if last_at < sentence_start else ""
            if not nearer and last_at < previous_start:
                # "Every item is one of a kind: once someone has paid, nobody else can buy it": the
                # sentence before read no object, so its subject is what the pronoun repeats
                nearer = _sentence_subject(low, previous_start, sentence_start, is_thing)
            obj = nearer or last_object
        elif not obj and particle:
            actor = _subject_before(low, i) or (actor if low[i - 1] in ("and", "or") else "")
            obj, end = actor, j - 1  # "riders tap in and tap out": the actor's own operation
        elif obj:
            last_object, last_at = obj, end
        if not obj and not particle and _joined_verb(low, i) and last_object and last_at >= sentence_start \
                and _ends_clause(low, i + 1):
            # "save recipes, rate them and comment", "book tours and must be able to cancel within 24 h":
            # a verb joined to the one before it acts on that verb's object
            obj, end = last_object, i
        if not obj and not particle and _ends_clause(low, i + 1):
            obj = _relative_object(low, i, is_thing)  # "rides, which riders can cancel": the verb acts on "rides"
            end = i if obj else end
        if not obj or obj in _WHOLE_SYSTEM:
            continue
        for joined in partner or ():
            coordinated[joined] = obj
        verb_at.add(i)
        verb = f"{base}_{particle}" if particle else base
        verbs_here.add(base)
        out.append(VerbPhrase(verb, obj, " ".join(toks[i:end + 1])))
    out.extend(_passives(toks, low, is_thing))
    out.extend(_nominalisations(toks, low, is_thing))
    return tuple(out)


def _relative_object(low: list[str], i: int, is_thing) -> str:
    """The noun a relative clause's verb acts on: "rides, which riders can cancel", "machines that
    staff can release" -> the noun before which/that, when the clause has its own subject (one or
    two words, not a verb) before the verb and an optional modal; '' otherwise ("a service that
    sends e-mails": "that" is then the subject, and the verb has its own object)."""
    k = i - 1
    if k >= 0 and low[k] in _MODALS:
        k -= 1
    subject_words = 0
    while k >= 0 and subject_words < 2 and low[k] not in ("which", "that") and low[k] not in _BOUNDARY \
            and (is_thing(low[k]) or low[k] in _PEOPLE or low[k] in _DETERMINERS) and not _known_verb(low[k]):
        k, subject_words = k - 1, subject_words + (low[k] not in _DETERMINERS)
    if not subject_words or k < 1 or low[k] not in ("which", "that"):
        return ""
    n = k - 1 if low[k - 1] != "," else k - 2
    if n < 0 or low[n] in _FUNCTION or low[n] in _BOUNDARY or not is_thing(low[n]) or _known_verb(low[n]):
        return ""
    return low[n]


def _known_verb(word: str) -> bool:
    """Whether a word with nothing after it is a verb people use for operations (the closed
    vocabulary of entities.py): a bare word at a clause's end is otherwise a noun of a list."""
    from servicelens.design.entities import VERBS  # entities builds on this module
    return word in VERBS


# Two-word adverbials that may stand between a verb and its object; never a particle and a noun.
_ADVERBIAL_PAIRS = frozenset({("on", "average"), ("in", "total"), ("at", "most"), ("at", "least"), ("at", "peak"),
                              ("in", "parallel"), ("in", "bulk"), ("in", "batches"), ("on", "demand")})


def _ends_clause(low: list[str], k: int) -> bool:
    """Whether the clause ends at k: punctuation, the text's end, or a preposition phrase
    ("... and comment on it", "... and cancel from the link", "cancel within 24 h", "cancel up to
    a day before")."""
    return k >= len(low) or low[k] in _BOUNDARY or low[k] in ("on", "from", "in", "at", "via", "online", "later",
                                                              "within", "before", "after", "until") \
        or (low[k] == "up" and k + 1 < len(low) and low[k + 1] == "to")


# Words between "and" and a verb that leave it joined to the verb before ("and must be able to cancel")
_JOINING = _MODALS | _ADVERBS | frozenset("be able not also".split())


# "re-run", "re-send", "re-open": a verb done again is a verb of its own, not a hyphenated compound
_REDONE = re.compile(r"^re-(?=[a-z]{3,}$)")


def _joined_verb(low: list[str], i: int) -> bool:
    """Whether the verb at i is joined by "and"/"or" to a verb before it, through modals and
    adverbs only ("and comment", "and must be able to cancel", "or can later renew")."""
    k = i - 1
    while k > 0 and low[k] in _JOINING:
        k -= 1
    return low[k] in ("and", "or")


def _verb_form(low: list[str], i: int, verbs_here: set[str], is_thing) -> str:
    """How the word at i reads as a verb ('base', 'inflected') or '' when it does not."""
    word = low[i]
    if word in _FUNCTION or word in _BOUNDARY or word in _ADVERBS or not word[0].isalpha() or word.endswith("ly") \
            or len(word) < 3 or word in CLAUSE_WORDS:
        return ""
    p_word, p_index = _previous_word(low, i) or (".", -1)
    if p_word in _SUBJECT_PRONOUNS and lemma(word) == word and not word.endswith("ing"):
        return "base"  # "As a tutor I publish my availability", "they return the keys"
    if p_word == "who" and p_index >= 1 and low[p_index - 1] not in _BOUNDARY - {","} and not word.endswith("ing"):
        return "inflected"  # "an office clerk, who approves or rejects it"
    if p_word in _MODALS:
        return "" if p_word == "to" and word.endswith("s") else "base"  # "pushed to clients" is no verb
    if p_word in (",", "and", "or") and verbs_here and i + 1 < len(low) and low[i + 1] in _DETERMINERS | _PRONOUNS:
        return "base"  # "find a car, book it, then unlock it"
    if p_word in ("and", "or") and lemma(word) in verbs_here:
        return "inflected"
    if p_word in ("and", "or") and verbs_here and lemma(word) == word and _ends_clause(low, i + 1) and _known_verb(word):
        return "base"  # "save recipes, rate them and comment": a list's last verb, its object shared
    if p_word in ("and", "or") and verbs_here and word.endswith("s") and lemma(word) != word \
            and i + 1 < len(low) and low[i + 1] in (_DETERMINERS | _PRONOUNS | {"and", "or"}) and not _plural_actor(low[p_index - 1]):
        return "inflected"  # "reviews the claim and then approves or rejects it": a second verb of the same subject
    if word.endswith("ing") and i + 1 < len(low) and low[i + 1] in _DETERMINERS and _opens_clause(low, p_index + 1):
        return "inflected"  # "Unblinding a patient requires ..."
    if (p_index < 0 or p_word in _BOUNDARY) and lemma(word) == word and not word.endswith("ing") \
            and i + 1 < len(low) and low[i + 1] in (_DETERMINERS | _PRONOUNS) - {"one", "new", "own", "other", "same"}:
        return "base"  # an imperative: "Create a checklist", "when someone is hired, assign the tasks"
    if not _opens_clause(low, p_index):
        return ""
    if p_word in _PEOPLE:
        return "inflected"  # "HR enters hours", "site staff enrol a patient"
    if _plural_actor(p_word) and not word.endswith("s"):
        return "base"  # "couriers drop", "holders transfer"
    if word.endswith("s") and not word.endswith("ss") and p_word not in _FUNCTION and not _plural_actor(p_word) \
            and p_index >= 1 and (low[p_index - 1] in ("the", "a", "an", "each", "every") or (
                p_index >= 2 and low[p_index - 2] in ("the", "a", "an", "each", "every") and low[p_index - 1] not in _FUNCTION
                and not low[p_index - 1].endswith("s"))):
        return "inflected"  # "the company awards", "each gate uploads", "the ward nurse accepts"
    return ""


def _previous_word(low: list[str], i: int) -> tuple[str, int] | None:
    k = i - 1
    while k >= 0 and low[k] in _ADVERBS:
        k -= 1
    return (low[k], k) if k >= 0 else None  # None: the text starts here


def _clause_subject(low: list[str], i: int) -> tuple[str, int] | None:
    """The word before the verb at i once adverbs and modals are skipped ("3 engineers will
    maintain it" -> engineers): the verb's subject, which its own object pronoun never repeats."""
    k = i - 1
    while k >= 0 and (low[k] in _ADVERBS or low[k] in _MODALS - {"to", "then"}):
        k -= 1
    return (low[k], k) if k >= 0 else None


def _opens_clause(low: list[str], k: int) -> bool:
    """Whether the noun at k starts its clause (after a boundary, a conjunction or a
    determiner that itself starts one): a subject, not the object of something before."""
    j = k - 1
    while j >= 0 and (low[j] in _DETERMINERS or low[j][0].isdigit() or (low[j].isalpha() and low[j] not in _FUNCTION and j == k - 1
                                               and (j == 0 or low[j - 1] in _BOUNDARY or low[j - 1] in _CLAUSE_OPENERS
                                                                   or low[j - 1] in _DETERMINERS))):
        j -= 1
    actor = low[j - 1] if j >= 1 else ""
    if low[j:j + 1] and low[j] in _PLACE_PREPOSITIONS and actor not in _FUNCTION and (
            _plural_actor(actor) or (len(actor) == 3 and actor.endswith("s") and not actor.endswith("ss"))):
        return _opens_clause(low, j - 1)  # "GPs in 1,100 practices issue ...": the actor is the noun the place qualifies
    return j < 0 or low[j] in _BOUNDARY or low[j] in _CLAUSE_OPENERS


def _plural_actor(word: str) -> bool:
    if word in _PEOPLE:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")) and word not in _FUNCTION


def _subject_before(low: list[str], i: int) -> str:
    prev = _previous_word(low, i)
    return prev[0] if prev and _plural_actor(prev[0]) and prev[0] not in _PEOPLE else ""


def _object_after(low: list[str], j: int, is_thing) -> tuple[str, int]:
    """The head noun of the noun phrase starting at j (determiners, numbers and up to two
    modifiers skipped): "their journey history" -> "history"; '' when none."""
    k = j
    while k < len(low) and (low[k] in _DETERMINERS or low[k][0].isdigit() or low[k] in NUMBER_WORDS
                            or low[k] in ("around", "about", "up", "to", "roughly", "approximately")):
        k += 1
    if k < len(low) and low[k] in _PRONOUNS:
        return low[k], k
    described = 0
    while described < 2 and k + 1 < len(low) and describes(low[k], is_thing) and is_thing(low[k + 1]) \
            and low[k + 1] not in _FUNCTION and low[k + 1] not in PARTICLES:
        k, described = k + 1, described + 1  # "each found item", "an authorised adult", "my weekly availability"
    head, end = "", k
    for m in range(k, min(k + 3, len(low))):
        w = low[m]
        verb_next = head and (lemma(w) in NOT_OPERATIONS or (w.endswith("s") and m + 1 < len(low)
                                                             and low[m + 1] in _DETERMINERS | _PRONOUNS))
        if w in _BOUNDARY or w in _FUNCTION or w in PARTICLES or not is_thing(w) or verb_next:
            break  # "a patient requires", "a booking refunds the deposit": the noun phrase ends before a verb
        head, end = w, m
    return head, end


def describes(word: str, is_thing) -> bool:
    """Whether a word qualifies the noun after it rather than naming a thing or acting: a
    participle or adjective ("found", "authorised", "weekly", "refundable"). Function words,
    numbers and nouns are not."""
    return word.isalpha() and len(word) >= 3 and word not in _FUNCTION and word not in _DETERMINERS \
        and word not in PARTICLES and word not in _ADVERBS and word not in _MODALS and not is_thing(word)


def _shared_object(low: list[str], j: int, is_thing) -> tuple[str, int, tuple[int, ...]]:
    """"approve or reject requests", "add or remove an adult": a verb with no object of its own
    shares the object of the verb joined to it. Returns (object, its index, the joined verb's
    index), so the joined verb is read with the same object."""
    partners, k = _listed_verbs(low, j)
    if not partners:
        return "", 0, ()
    obj, end = _object_after(low, k, is_thing)
    return (obj, end, partners) if obj else ("", 0, ())


def _listed_verbs(low: list[str], j: int) -> tuple[tuple[int, ...], int]:
    """The verbs of a list joined to the one before j, and where their object starts: "or
    reject" in "approve or reject requests", and every verb of "book, reschedule and cancel
    appointments" (a comma list closed by "and"/"or"); ((), j) when none follows."""
    partners: list[int] = []
    k = j
    while k + 1 < len(low) and low[k] in (",", "and", "or"):
        if low[k] == "," and k + 1 < len(low) and low[k + 1] in ("and", "or"):
            k += 1  # the serial comma: "book, reschedule, and cancel"
        w = low[k + 1]
        if w in _FUNCTION or w in _BOUNDARY or w in _ADVERBS or lemma(w) in NOT_OPERATIONS or not w[0].isalpha():
            return (), j
        closing = low[k] in ("and", "or")
        partners.append(k + 1)
        k += 2
        if k < len(low) and low[k] in PARTICLES:
            k += 1  # "assign, comment on and close tickets"
        if closing:
            return (tuple(partners), k) if k < len(low) else ((), j)
    return (), j


def _sentence_subject(low: list[str], start: int, end: int, is_thing) -> str:
    """The noun that opens the sentence between `start` and `end` once determiners are skipped and
    that heads its phrase ("Every item is one of a kind" -> item), or ''."""
    k = start + 1 if start < len(low) and low[start] in _BOUNDARY else start
    while k < end and low[k] in _DETERMINERS:
        k += 1
    head = ""
    while k < end and is_thing(low[k]) and low[k] not in _FUNCTION and not _known_verb(low[k]):
        head, k = low[k], k + 1
    return head if head and k < end and low[k] not in _BOUNDARY else ""


def _antecedent(low: list[str], i: int, after: int, is_thing, verb_at: set[int]) -> str:
    """The thing a pronoun object stands for: the nearest noun before the verb in its sentence
    that heads its phrase and is not a person introduced by "who" ("a claim is checked by a
    clerk, who approves it" -> claim). '' when none comes after the last object read."""
    k = i - 1
    subject = _clause_subject(low, i)
    while k > after and low[k] not in _BOUNDARY - {","}:
        w = low[k]
        nxt = next((x for x in low[k + 1:i] if x != ","), "")
        if (is_thing(w) and w not in _FUNCTION and w not in _PRONOUNS and nxt not in ("who", "whose") and k not in verb_at
                and not (k + 1 < len(low) and is_thing(low[k + 1]) and low[k + 1] not in _FUNCTION)
                and not (subject and subject[1] == k)):
            return w
        k -= 1
    return ""


# "We run a network of lockers": the business itself, not a thing its API acts on.
_WHOLE_SYSTEM = frozenset("network platform business company organisation organization product website site marketplace "
                          "system service app application".split())
_PASSIVE_AUX = frozenset("is are was were be been get gets got".split())


def _passives(toks: list[str], low: list[str], is_thing) -> list[VerbPhrase]:
    """"credits are retired", "uncollected parcels are returned": the subject is acted on."""
    out = []
    for i in range(1, len(low) - 1):
        if low[i] not in _PASSIVE_AUX:
            continue
        k = i + 1
        while k < len(low) and low[k] in _ADVERBS | {"not", "never"}:
            k += 1
        if k >= len(low) or not low[k].endswith("ed") or len(low[k]) < 5:
            continue
        subject = low[i - 1] if low[i - 1] not in _MODALS else (low[i - 2] if i >= 2 else "")
        if low[i - 1] in ("must", "can", "should", "will", "may", "cannot") and i >= 2:
            subject = low[i - 2]
        elif low[i - 1] == "to" and i >= 3 and low[i - 2] in ("has", "have", "need", "needs", "ought"):
            subject = low[i - 3]  # "cover has to be arranged", "claims need to be approved"
        base = lemma(low[k])
        if not subject or subject in _FUNCTION or not is_thing(subject) or base in NOT_OPERATIONS or "-" in base:
            continue
        if in_prepositional_phrase(low, low.index(subject, max(0, i - 3))):
            continue  # "a reading taken by the crew is uploaded": the crew is not what is uploaded
        particle = low[k + 1] if k + 2 < len(low) and low[k + 1] in PARTICLES and low[k + 2] not in _DETERMINERS \
            and not (low[k + 1] == "up" and low[k + 2] == "to") else ""  # "cancelled up to 1 hour before": a bound
        verb = f"{base}_{particle}" if particle else base
        out.append(VerbPhrase(verb, subject, " ".join(toks[i - 1:k + 1])))
        out.extend(_coordinated_participles(toks, low, k, subject))
    return out


# Prepositions whose noun is never the subject of the verb after it ("by the crew", "at the desk");
# "of" is left out: "the status of an order is updated" is about the order.
_PLACE_OR_AGENT = frozenset("by at to from with in on into onto for via under".split())


def in_prepositional_phrase(low: list[str], at: int) -> bool:
    """Whether the noun at `at` is the object of a preposition ("by the crew", "at each desk", "by
    a pump station": up to two words qualifying the noun may stand between)."""
    j, qualifiers = at - 1, 0
    while j >= 0 and (low[j] in _DETERMINERS | {"every", "each", "all"} or (
            qualifiers < 2 and low[j].isalpha() and low[j] not in _FUNCTION and low[j] not in _PLACE_OR_AGENT)):
        qualifiers += low[j] not in _DETERMINERS | {"every", "each", "all"}
        j -= 1
    return j >= 0 and low[j] in _PLACE_OR_AGENT


def _coordinated_participles(toks: list[str], low: list[str], k: int, subject: str) -> list[VerbPhrase]:
    """"each unit is tested, then either released to stock or discarded": the participles
    joined to a passive share its subject."""
    out = []
    m = k + 1
    while m < len(low) and low[m] not in (".", ";", ":", "!", "?"):
        if low[m].endswith("ed") and len(low[m]) >= 5 and low[m - 1] in (",", "then", "either", "or", "and", "later"):
            base = lemma(low[m])
            if base not in NOT_OPERATIONS and "-" not in base:
                out.append(VerbPhrase(base, subject, f"{toks[m]} ({subject})"))
        m += 1
    return out


def _nominalisations(toks: list[str], low: list[str], is_thing) -> list[VerbPhrase]:
    """"cancellation of a booking" -> cancel booking; "approval of expenses" -> approve; an
    action named by its noun: "booking for a class" -> book class, "claims for bottles" -> claim
    bottle, "e-book lending" -> lend e-book."""
    out = _compound_actions(toks, low, is_thing)
    for i in range(len(low) - 2):
        if low[i + 1] not in ("of", "for"):
            continue
        verb = verb_of_nominalisation(low[i]) or _verb_of_gerund(low[i])
        if low[i + 1] == "for":
            # "for" names what an act is for only after a noun that is the act itself: a known
            # verb used as a noun ("a claim for", "requests for") or its gerund ("booking for")
            verb = verb or _zero_derived(low[i])
            if i > 0 and low[i - 1] in _MODALS | {"to"}:
                continue  # "can apply for a loan" is the verb itself, read with the verbs
        if not verb or verb in NOT_OPERATIONS:
            continue
        if i + 2 < len(low) and low[i + 2][0].isdigit():
            continue  # "a constellation of 48 satellites" is a quantity, not an action
        obj, end = _object_after(low, i + 2, is_thing)
        if low[i + 1] == "for":
            obj, end = _first_noun(low, i + 2, is_thing, obj, end)
        if obj and obj not in _PRONOUNS:
            out.append(VerbPhrase(verb, obj, " ".join(toks[i:end + 1])))
    return out


# What may follow the noun of an act that heads its noun phrase ("e-book lending opens ...",
# "room booking is free", "seat allocation."): a boundary, a verb of being or a modal, a
# preposition or a conjunction, never another noun ("the claim window").
_AFTER_ACT_NOUN = frozenset("is are was were opens open closes close must can cannot should will may has have happens "
                            "and or of for with in at on by to from that which across within per via between into during after before "
                            "until".split()) | _BOUNDARY


def _compound_actions(toks: list[str], low: list[str], is_thing) -> list[VerbPhrase]:
    """"e-book lending", "room booking", "seat allocation": a thing followed by the noun of an
    act (a gerund of a known verb or a nominalisation) that heads the phrase names the act done
    to the thing."""
    out = []
    for i in range(1, len(low)):
        verb = _verb_of_gerund(low[i]) or verb_of_nominalisation(low[i])
        if not verb or verb in NOT_OPERATIONS or not _known_verb(verb) or _reads(verb):
            continue  # a reading's gerund names what was read ("a lab reading", "a meter reading"), not an act
        if i + 1 < len(low) and low[i + 1] not in _AFTER_ACT_NOUN:
            continue
        thing = low[i - 1]
        before = low[i - 2] if i >= 2 else "."
        if thing in _FUNCTION or thing in _DETERMINERS or thing in _BOUNDARY or not is_thing(thing) \
                or _known_verb(thing) or _known_verb(lemma(thing)) or before in _MODALS | {"to"}:
            continue  # "to start booking", "the morning booking" (not a thing), "start booking"
        out.append(VerbPhrase(verb, thing, " ".join(toks[i - 1:i + 1])))
    return out


def _first_noun(low: list[str], j: int, is_thing, obj: str, end: int) -> tuple[str, int]:
    """The first noun after "for" when a verb follows it ("booking for a class opens": class,
    not "opens"); else the noun phrase's head as read."""
    k = j
    while k < len(low) and (low[k] in _DETERMINERS or low[k][0].isdigit()):
        k += 1
    if k + 1 < len(low) and is_thing(low[k]) and low[k] not in _FUNCTION and low[k] != obj \
            and (_known_verb(lemma(low[k + 1])) or lemma(low[k + 1]) in NOT_OPERATIONS):
        return low[k], k
    return obj, end


def _reads(verb: str) -> bool:
    from servicelens.design.entities import VERBS  # entities builds on this module
    return VERBS.get(verb) == "read"


def _verb_of_gerund(word: str) -> str:
    """'lending' -> 'lend', 'booking' -> 'book', 'cancelling' -> 'cancel': a known verb's
    gerund, else ''."""
    if not word.endswith("ing") or len(word) < 6:
        return ""
    stem = word[:-3]
    for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else ""):
        if candidate and _known_verb(candidate):
            return candidate
    return ""


def _zero_derived(word: str) -> str:
    """'claim' / 'claims' -> 'claim', 'requests' -> 'request': a known verb used as a noun."""
    for candidate in (word, word[:-1] if word.endswith("s") else ""):
        if candidate and _known_verb(candidate):
            return candidate
    return ""
