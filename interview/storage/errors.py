"""What can go wrong with the store, each said plainly (the CLI prints it, the app shows it)."""

from __future__ import annotations

from interview.errors import InputError, InterviewError


class StorageError(InterviewError):
    """Anything about the store a person must know, said plainly."""


# The shortest passphrase a new store (or a new passphrase) accepts: the store, the CLI and the
# app's unlock screen all use this one.
MIN_PASSPHRASE = 8
SHORT_PASSPHRASE = f"choose a passphrase of at least {MIN_PASSPHRASE} characters"


def check_new_passphrase(passphrase: str | None) -> None:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE:
        raise StorageError(SHORT_PASSPHRASE)


class WrongPassphrase(StorageError):
    pass


class Tampered(StorageError):
    """Data that does not verify: altered, damaged, cut short, or an older copy.

    `part`: what did not verify ("record 5", "its header"), for a reader that is not a file on
    this computer (the county's, whose data is a row on the server) to say it in its own words.
    """

    def __init__(self, message: str, part: str = ""):
        super().__init__(message)
        self.part = part


class SessionBusy(StorageError):
    pass


class EventTooLarge(InputError, StorageError):
    """An event over the largest record: refused before anything is written, so what the
    writer accepts the reader reads. An InputError too: the screen keeps what was typed."""
