"""How the app names an interview so the worker can tell two apart, without a name on screen.

What the worker recorded in the case facts: the case number and the interviewee's initials
(never the name, since anyone near the screen may read the list). It comes from the decrypted
events, so it is shown only once the store is unlocked.
"""

from __future__ import annotations

import datetime as dt
import re

_LETTERS = re.compile(r"[^\W\d_]+")


def initials(name: str | None) -> str:
    """"Maria de la Cruz" -> "M.d.l.C."; nothing for an empty name."""
    return "".join(word[0] + "." for word in _LETTERS.findall(name or ""))


def case_label(context) -> str:
    """"case FICT-42 · M.C." from the case facts, or "" when neither was recorded."""
    parts = []
    if context.case_id:
        parts.append(f"case {context.case_id}")
    if context.interviewee and initials(context.interviewee):
        parts.append(initials(context.interviewee))
    return " · ".join(parts)


def local_time(stamp: str) -> str:
    """An ISO timestamp (stored in UTC) as local time with its zone: 2025-09-03 07:05 PDT."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone().strftime("%Y-%m-%d %H:%M %Z")
