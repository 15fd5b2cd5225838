"""Show typed text as text: no terminal escape sequences or control characters get through."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include the 8-bit CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)?")


def plain(text: str) -> str:
    """Remove escape sequences whole, then any other control character."""
    if not text:
        return ""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def discreet(text: str, words: tuple[str, ...]) -> str:
    """Mask the words never shown to a youth (DOMAIN.md section 10) in text the screen shows.

    The validator keeps flow content free of them; this is the second line of defence for text
    that comes from elsewhere (the red-flag chart's own labels, typed notes).
    """
    from interview.content.words import words_pattern

    if not text or not words:
        return text
    return words_pattern(words).sub(lambda m: "•" * min(len(m.group(0)), 3), text)
