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
