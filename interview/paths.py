"""Where the shipped content lives: in place in a source checkout, inside the wheel otherwise."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_data" / name


def flows_dir() -> Path:
    """The folder of shipped flows; CSEC_INTERVIEW_FLOWS points elsewhere (a county's own)."""
    override = os.environ.get("CSEC_INTERVIEW_FLOWS")
    return Path(override) if override else _data_dir("flows")


def templates_dir() -> Path:
    return _data_dir("templates")
