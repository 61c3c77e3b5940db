"""English wording for generated questions, and text comparison that ignores form.

Prompts name agreements by title ("the cooperation agreement between ..."); `fold`
reduces text to what a comparison should see (no case, accents, punctuation or
leading article), and the overlap helpers spot an answer a title already gives away.
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
_VERBS = {"doctrine": "approved"}
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


def capital(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def subject(agreement: Agreement) -> str:
    """The agreement's title as it reads mid-sentence: "the cooperation agreement ..."."""
    title = agreement.title
    first, _, rest = title.partition(" ")
    if first.lower() == "the":
        return "the " + rest
    if first.lower() in _COMMON_TITLE_WORDS:
        title = first.lower() + (" " + rest if rest else "")
    return "the " + title


def verb(agreement: Agreement) -> str:
    """How the document came into force: signed, or approved for a doctrine."""
    return _VERBS.get(agreement.kind, "signed")


def plural(kind: str) -> str:
    """The plural of an agreement kind: "agreements", "doctrines", "agendas"."""
    return kind + "s"


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


@lru_cache(maxsize=1 << 16)
def content_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` that carry meaning (no short or function words)."""
    return tuple(w for w in fold(text).split() if len(w) > 2 and w not in _STOPWORDS)


def _same_word(a: str, b: str) -> bool:
    """Equal, or one is a stem of the other ("border"/"borders", "russia"/"russian")."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 5 and long.startswith(short)


def _has_word(word: str, words: tuple[str, ...]) -> bool:
    return word in words or (len(word) >= 5 and any(_same_word(word, w) for w in words))


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
