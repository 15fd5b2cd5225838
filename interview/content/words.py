"""The words never said to a youth (DOMAIN.md section 10), found whole-word, plurals included.

The list itself is content (flows/catalog/youth-words.yaml); this is only the matching, shared by
the validator and, later, practice mode's check of a trainee's typed questions.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8)
def words_pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\b(?:{alternatives})(?:s|es)?\b", re.IGNORECASE)


def labelling_words(text: str, words: tuple[str, ...]) -> list[str]:
    """The listed words that `text` uses (empty when it is fit to say to a youth)."""
    if not text or not words:
        return []
    return list(_found(text, words))


@lru_cache(maxsize=8192)
def _found(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    # A step included by several flows (the youth interview's, in the return interview) is
    # checked once per load, not once per flow that includes it.
    return tuple(match.group(0) for match in words_pattern(words).finditer(text))
