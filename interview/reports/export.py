"""Produce a report of one interview, from the store or from an answer file, and write it out.

The CLI (`report`) and the app's export dialog both come here, so a report is the same whichever
way it is made. An export leaves the encrypted store: it is written 0600, never over an existing
file unless the caller says so, and audited (what and in which format, never the content).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from interview.errors import InterviewError
from interview.reports import document, render


class ReportExists(InterviewError):
    """The output file is already there; the caller asks before replacing it."""


def from_session(library, session, *, session_id: str | None = None, store=None,
                 include_words: bool = False, generated: dt.datetime | None = None) -> dict:
    """The report of a Session (saved or in memory); the store, when given, supplies the
    child's earlier CSEC Data Grid rows."""
    record = session.record
    history = []
    if store is not None and record.context.case_id:
        history = document.grid_history(library, store, record.context.case_id,
                                        before=record.context.today, exclude=session_id)
    return document.build(library, record, session.findings, events=session.events,
                          session_id=session_id, finished=session.finished,
                          grid_history=history, include_words=include_words,
                          generated=generated)


def from_file(library, path: Path, *, include_words: bool = False,
              generated: dt.datetime | None = None) -> dict:
    """The report of an `assess` answer file (no events: answers in flow order)."""
    from interview.engine.case import load_case
    from interview.rules import evaluate

    record = load_case(library, path)
    return document.build(library, record, evaluate(library, record), source_file=str(path),
                          include_words=include_words, generated=generated)


def default_name(stem: str, day: dt.date, fmt: str) -> str:
    """A file name that says what it is: csec-report-<session>-<date>.<suffix>."""
    return f"csec-report-{stem}-{day.isoformat()}{render.SUFFIX[fmt]}"


def write(path: Path, text: str, overwrite: bool = False) -> Path:
    """Write the report privately (0600) and whole (temp file, fsync, rename)."""
    from interview.storage.files import EXPORT, explain, write_atomic

    path = Path(os.path.expanduser(str(path)))
    if path.is_dir():
        raise InterviewError(f"{path} is a folder: give a file name, e.g. {path / 'report.html'}")
    if not path.parent.is_dir():
        raise InterviewError(f"{path.parent}: no such folder; create it or choose another")
    if path.exists() and not overwrite:
        raise ReportExists(f"{path} already exists; choose another name, or replace it "
                           "(--force on the command line)")
    try:
        write_atomic(path, text.encode("utf-8"), tidy=True)  # created 0600, never via a link
    except OSError as exc:
        raise explain(exc, f"write {path}", EXPORT) from None  # its fix: another file
    return path
