"""The words never said to a youth (DOMAIN.md section 10), found whole-word, plurals included.

The list itself is content (flows/catalog/youth-words.yaml); this is only the matching, shared by
the validator and, later, practice mode's check of a trainee's typed questions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


PLURAL = "(?:s|es)?"


@lru_cache(maxsize=64)
def words_pattern(words: tuple[str, ...]) -> re.Pattern:
    """The listed words, whole, each word of an entry with its optional plural: in Spanish the
    adjective takes it too ("trabajadoras sexuales", "abusos sexuales"; "agresiones sexuales"
    once folded), so a plural on the last word alone would miss them."""
    alternatives = "|".join(rf"{PLURAL}\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"\b(?:{alternatives}){PLURAL}\b", re.IGNORECASE)


def labelling_words(text: str, words: tuple[str, ...]) -> list[str]:
    """The listed words that `text` uses (empty when it is fit to say to a youth). Text that is
    not plain ASCII is folded first, so an accent, an invisible character or a look-alike
    letter inside a word does not hide it (the words found are then shown folded)."""
    if not text or not words:
        return []
    if not text.isascii():
        text, words = fold(text), folded_words(words)
    return list(_found(text, words))


@lru_cache(maxsize=64)
def folded_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """A list of words folded, each once, in its order."""
    return tuple(dict.fromkeys(fold(w) for w in words))


def fold(text: str) -> str:
    """Lower case without accents, invisible characters or look-alike letters: "Víctima",
    "victima", "vic\u200btima" and "vісtima" (a Cyrillic і and с) are one word to every check
    of words (the labelling words, practice mode's matcher)."""
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_FOLDED)


# Letters of the Cyrillic and Greek alphabets drawn like Latin ones, as casefold leaves them
# (so "В" and "в" both), with the Latin letter each passes for. Beside them in a word, a reader
# sees the Latin word: "vісtim" with a Cyrillic і and с reads "victim".
LOOK_ALIKES = {
    "а": "a", "в": "b", "е": "e", "з": "3", "і": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "һ": "h", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b",
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "ı": "i",  # Turkish dotless i (re's IGNORECASE takes it for an i too)
}


class _Folded(dict):
    """str.translate's table, filled as characters are met: combining marks and format
    characters (a zero-width space) are dropped, look-alike letters become the Latin letter they
    pass for, and every other character is kept as it is."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        kept = "" if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" else ch
        self[code] = LOOK_ALIKES.get(kept, kept)
        return self[code]


_FOLDED = _Folded()


@lru_cache(maxsize=8192)
def _found(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    # A step included by several flows (the youth interview's, in the return interview) is
    # checked once per load, not once per flow that includes it. Most texts use none of the
    # words: a look-up of their words, and a pattern of the few entries of several words, show
    # it without the whole pattern (about a tenth of `flows_load_ms`); a text that may use one
    # is matched by the whole pattern, so what is found, and its order, never change.
    single, several, firsts = split_words(words)
    used = set(WORD_RE.findall(text.casefold()))
    if single.isdisjoint(used) and not (
            several and (firsts is None or not firsts.isdisjoint(used)) and several.search(text)):
        return ()
    return tuple(match.group(0) for match in words_pattern(words).finditer(text))


WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=64)
def split_words(words: tuple[str, ...]
                ) -> tuple[frozenset[str], re.Pattern | None, frozenset[str] | None]:
    """The entries of one word with their plurals (as casefold leaves them), a pattern of the
    others (as words_pattern makes it), and the first words of those others: the pattern
    matches "sex work" only where "sex" is a word of the text, so a text without any of them
    need not be searched (None: an entry starts otherwise, and every text is). Each first word
    comes with its plurals, as the pattern has them ("sex workers", "trabajadoras sexuales")."""
    single = frozenset(w.casefold() + end for w in words if WORD_RE.fullmatch(w)
                       for end in ("", "s", "es"))
    several = tuple(w for w in words if not WORD_RE.fullmatch(w))
    starts = [WORD_RE.match(w) for w in several]
    firsts = (frozenset(m.group().casefold() + end for m in starts for end in ("", "s", "es"))
              if all(m and m.group().isascii() for m in starts) else None)
    return single, (words_pattern(several) if several else None), firsts


class WordList(tuple):
    """A list of words never said to a youth (its `words` and `labels`), with what else its file
    says. `definitions`: the terms 003 asks the worker to explain to a caregiver ("Explain the
    definition of CSE and/or child labor trafficking"), each an English term of the list with
    the words that say it in the file's language (in English, the term itself): a caregiver may
    hear one only where the English says it, never a label of the child or the people in their
    life. `tip_off`: the words that tell a caregiver in the room what the worker is scoring
    ("indicador", "crónico"), refused on a caregiver's card."""

    definitions: dict[str, tuple[str, ...]]
    tip_off: tuple[str, ...]

    def __new__(cls, words=(), definitions=None, tip_off=()):
        self = super().__new__(cls, words)
        self.definitions = dict(definitions or {})
        self.tip_off = tuple(tip_off)
        return self


def defined(words: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The definition terms of `words` (a WordList) that `text` uses, folded as every check is."""
    terms = getattr(words, "definitions", {})
    if not terms or not text:
        return ()
    seen = fold(text)
    return tuple(t for t in terms if _term_pattern(t).search(seen))


@lru_cache(maxsize=64)
def _term_pattern(term: str) -> re.Pattern:
    return words_pattern((fold(term),))
