"""English wording for generated questions, and text comparison that ignores form.

Prompts name agreements by title ("the cooperation agreement between ...", "the
Belavezha Accords"), with the verb the dataset gives and the number the title takes;
`fold` reduces text to what a comparison should see (no case, accents, punctuation or
leading article), and the overlap helpers spot an answer a title already gives away or
a wrong option that paraphrases a right one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from quizapp.core.dataset import Agreement, Entity, PartialDate, Precision

ARTICLES = ("the", "a", "an")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_WORD = re.compile(r"[\W_]+")

# Title words that are ordinary nouns or adjectives: written in lower case mid-sentence.
_COMMON_TITLE_WORDS = _words(
    """
    accord agenda agreement arrangement charter concept contract convention cooperation
    deal decision declaration doctrine joint memorandum new pact plan programme program
    protocol roadmap statement strategy treaty updated
    """
)
# Plural heads of titles: "the Belavezha Accords were signed".
_PLURAL_HEADS = _words(
    """
    accords agreements arrangements conclusions declarations minutes protocols treaties
    conventions memoranda understandings principles measures regulations
    """
)
_HEAD_ENDS = _words("of on between by for among concerning regarding in at with to")
_STOPWORDS = _words(
    """
    about after against also among and around as at before between but by for from in
    into its of on or over such than that the their these this those through to under
    with within
    """
)
# Entity kinds whose multi-word names take "the" ("the Union State", "the Belarusian
# Interior Ministry"); single words ("Russia", "Rosgvardiya") and persons and places do not.
_ARTICLE_KINDS = ("organisation", "country")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces, no leading article."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", decomposed.casefold()).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


# Latin letters with a caron stand for the digraphs English spelling uses: Lukašenka is
# Lukashenka. Both sides then lose the digraph, so Lukasenka matches too.
_CARONS = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh"})
_DIGRAPHS = (("shch", "sc"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("kh", "h"))


@lru_cache(maxsize=1 << 16)
def spelling(text: str) -> str:
    """``fold``, also blind to transliteration: "Lukašenka", "Lukashenka" and "Lukasenka"
    read the same, as the hint "accents do not matter" promises."""
    folded = fold(text.translate(_CARONS))
    for digraph, letter in _DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return folded


def capital(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def subject(agreement: Agreement, names: frozenset[str] = frozenset()) -> str:
    """The agreement's title as it reads mid-sentence: "the cooperation agreement ...",
    but "the Treaty on the Creation of a Union State" when the title is a proper name.
    ``names`` are the words of entity names, capitalised in any title."""
    title = agreement.title
    first, _, rest = title.partition(" ")
    if first.lower() == "the":
        return "the " + rest
    if first.lower() in _COMMON_TITLE_WORDS and not is_proper_name(title, names):
        title = first.lower() + (" " + rest if rest else "")
    return "the " + title


def is_proper_name(title: str, names: frozenset[str] = frozenset()) -> bool:
    """True when the words after the first are capitalised though they are not names
    ("Treaty on the Creation of a Union State", "Charter of the Union of Belarus and
    Russia"), unlike a description ("Agreement between the Russian Foreign Intelligence
    Service and ..."). ``names`` are entity names, whole or word by word."""
    words = _title_words(title.partition(" ")[2])
    if any(not w[:1].isupper() for w in words):
        return False
    rest = _title_words(_without(names).sub(" ", title.partition(" ")[2]))
    return any(w not in names and not w.endswith(("ian", "ish", "ese")) for w in rest)


def _title_words(text: str) -> list[str]:
    return [
        w
        for w in text.split()
        if w.lower() not in _STOPWORDS and w.lower() not in ARTICLES and w[:1].isalpha()
    ]


@lru_cache(maxsize=8)
def _without(names: frozenset[str]) -> re.Pattern[str]:
    """A pattern for every name, longest first: "Union State" goes whole, so the "Union"
    of "the Union of Belarus and Russia" stays a word of the title."""
    ordered = sorted((n for n in names if n.strip()), key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in ordered) + r")\b")


def is_plural(agreement: Agreement) -> bool:
    """True when the title names several documents: "the Belavezha Accords"."""
    head = ""
    for word in agreement.title.split():
        if word.lower() in _HEAD_ENDS:
            break
        head = word
    return _NOT_WORD.sub("", head.lower()) in _PLURAL_HEADS


def was(agreement: Agreement) -> str:
    """The past of "to be" that agrees with the title: "was", or "were" for "the Accords"."""
    return "were" if is_plural(agreement) else "was"


def verb(agreement: Agreement) -> str:
    """How the source says the document came about: signed, agreed, approved, adopted."""
    return agreement.verb


def verbs(agreements: list[Agreement]) -> str:
    """The verb of several documents: "signed", or "signed, agreed or adopted" when they differ."""
    found = sorted({a.verb for a in agreements})
    return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " or " + found[-1]


def plural(kind: str) -> str:
    """The plural of an agreement kind: "agreements", "treaties", "memoranda"; a kind
    already plural ("accords") stays as it is."""
    if kind in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[kind]
    if kind.endswith("s"):
        return kind
    if kind.endswith("y") and kind[-2:-1] not in "aeiou":
        return kind[:-1] + "ies"
    return kind + "s"


_IRREGULAR_PLURALS = {"memorandum": "memoranda"}


def entity_phrase(entity: Entity) -> str:
    """An entity's name as it reads mid-sentence, with "the" where English needs it."""
    if entity.kind in _ARTICLE_KINDS and " " in entity.name:
        return "the " + entity.name
    return entity.name


def date_phrase(date: PartialDate) -> str:
    """The date with its preposition: "on 4 November 2021", "in September 2021", "in 2021"."""
    preposition = "on" if date.precision == Precision.DAY else "in"
    return f"{preposition} {date.label()}"


PRECISION_WORDS = {
    Precision.YEAR: "year",
    Precision.MONTH: "month and year",
    Precision.DAY: "day, month and year",
}


# Words that say the same thing in the phrases of security agreements: a wrong option
# must not paraphrase a right one ("aggressive politics of the US and western countries"
# beside "hostile activity of the West"). Each word stands for the first of its group.
_SYNONYMS = (
    "hostile hostility aggressive aggression destructive adversarial subversive",
    "fight fighting combat combating combatting counter countering counteract "
    "neutralization neutralisation neutralizing neutralising neutralize neutralise "
    "oppose opposing suppress suppressing resisting",
    "danger dangers threat threats risk risks menace",
    "activity activities action actions politics policy policies conduct",
    "cooperation co-operation collaboration partnership interaction",
    "protection protecting protect defence defense defending safeguarding guarding",
    "exercises drills manoeuvres maneuvers training",
    "border borders frontier frontiers boundary boundaries",
    "west western westerners",
    "agreement accord accords treaty pact",
)
_CANONICAL = {word: group.split()[0] for group in _SYNONYMS for word in group.split()}


@lru_cache(maxsize=1 << 16)
def content_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` that carry meaning (no short or function words),
    each synonym written as the first word of its group."""
    words = (w for w in fold(text).split() if len(w) > 2 and w not in _STOPWORDS)
    return tuple(_CANONICAL.get(w, w) for w in words)


def _same_word(a: str, b: str) -> bool:
    """Equal, or one is a stem of the other ("border"/"borders", "russia"/"russian")."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long.startswith(short)


def _has_word(word: str, words: tuple[str, ...]) -> bool:
    return word in words or (len(word) >= 4 and any(_same_word(word, w) for w in words))


@lru_cache(maxsize=1 << 16)
def overlap(a: str, b: str) -> float:
    """Share of the shorter text's content words that the other text also has (0..1)."""
    words_a, words_b = content_words(a), content_words(b)
    if not words_a or not words_b:
        return 0.0
    small, large = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    return sum(1 for w in small if _has_word(w, large)) / len(small)


def mentions(text: str, name: str) -> bool:
    """True when ``text`` contains ``name`` (or its stem, "Russian" for "Russia") as words."""
    words, wanted = fold(text).split(), fold(name).split()
    if not wanted:
        return False
    for start in range(len(words) - len(wanted) + 1):
        if all(_same_word(w, n) for w, n in zip(words[start:], wanted, strict=False)):
            return True
    return False


def gives_away(agreement: Agreement, names: tuple[str, ...] = (), phrase: str = "") -> bool:
    """True when the title already says the answer: one of ``names`` or most of ``phrase``."""
    if any(mentions(agreement.title, name) for name in names):
        return True
    words, title = content_words(phrase), content_words(agreement.title)
    found = sum(1 for w in words if _has_word(w, title))
    return bool(words) and found / len(words) >= 0.5
