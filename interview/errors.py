"""Errors meant for people: each names the thing that is wrong and how to fix it."""

from __future__ import annotations

from interview.lazy_dataclass import dataclass


class InterviewError(Exception):
    """Any error the CLI reports as one clear message (never a traceback)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, located so the author can go straight to it."""

    path: str
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class ContentError(InterviewError):
    """A flow or catalog file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InputError(InterviewError):
    """A bad answer file, value or date given to the engine."""


def is_one_of(value, ids) -> bool:
    """Is `value` one of `ids`? A list or mapping written where an id belongs is simply not one
    (rather than a TypeError), so the caller's message can name what was written."""
    try:
        return value in ids
    except TypeError:  # unhashable
        return False


def suggest(value, choices) -> str:
    """A "did you mean ...?" for a near-miss, or nothing."""
    import difflib

    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def flows_hint(flow_id, flows) -> str:
    """How to name a flow instead of `flow_id`: the near miss, or else every flow there is."""
    return suggest(flow_id, flows) or f"flows: {', '.join(sorted(flows))}"


def unknown_flow(flow_id, flows) -> str:
    """The one message for a flow id that names no flow (CLI, app, engine, storage)."""
    return f"flow {flow_id!r} not found; {flows_hint(flow_id, flows)}"
