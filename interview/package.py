"""Reading a package another machine made (a hotline handoff, a supervisor's review): JSON text of
a bounded size, or one message saying it was damaged on the way and who to ask again."""

from __future__ import annotations

from typing import Any, Callable

from interview import jsonin


def read_json(text: str | bytes, limit: int, fail: Callable[[str], Exception]) -> Any:
    """The JSON value of `text`; `fail(what)` makes the error for a package that is too large or
    not JSON."""
    if len(text) > limit:
        raise fail(f"{len(text)} bytes is more than any such package ({limit})")
    try:
        return jsonin.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise fail("it is not JSON") from None
