"""What can go wrong with the store, each said plainly (the CLI prints it, the app shows it)."""

from __future__ import annotations

from interview.errors import InputError, InterviewError


class StorageError(InterviewError):
    """Anything about the store a person must know, said plainly."""


class WrongPassphrase(StorageError):
    pass


class Tampered(StorageError):
    """Data that does not verify: altered, damaged, cut short, or an older copy."""


class SessionBusy(StorageError):
    pass


class EventTooLarge(InputError, StorageError):
    """An event over the largest record: refused before anything is written, so what the
    writer accepts the reader reads. An InputError too: the screen keeps what was typed."""
