"""A crash in the app prints one line and exits 1, never Textual's traceback: its report prints
every frame's local variables, which held a session's data key in the audit's reproduction
(attack audit, finding 1): read off the screen, the key opened a copy of the interview without
the passphrase. All cases are fictional."""

from __future__ import annotations

import asyncio

import pytest

from interview.app.app import InterviewApp

SECRET_KEY = b"I\xb1\x19\xa3FICTIONAL-DATA-KEY\xc5\xefK\xfd"
WORDS = "Dre sets up dates (fictional)"


def crash(self) -> None:
    data_key, said = SECRET_KEY, WORDS  # what a frame holds when an interview is open
    raise RuntimeError(f"a bug while {said!r} was shown, key {data_key!r}")


def crashed(library, monkeypatch, capfd, debug: bool) -> str:
    monkeypatch.setattr(InterviewApp, "action_help", crash)
    if debug:
        monkeypatch.setenv("CSEC_INTERVIEW_DEBUG", "1")
    else:
        monkeypatch.delenv("CSEC_INTERVIEW_DEBUG", raising=False)
    app = InterviewApp(flow_id="youth", library=library)

    async def go():
        async with app.run_test(size=(250, 50)) as pilot:
            await pilot.press("f1")
            await pilot.pause()

    with pytest.raises(RuntimeError):  # run_test hands the test the app's exception
        asyncio.run(go())
    assert app.return_code == 1
    out, err = capfd.readouterr()
    return out + err


def test_a_crash_says_one_line_with_no_key_and_no_words(library, monkeypatch, capfd):
    shown = crashed(library, monkeypatch, capfd, debug=False)
    assert "csec-interview: internal error (RuntimeError)" in shown
    for leak in ("FICTIONAL-DATA-KEY", "Dre sets up", "data_key", "locals", "Traceback"):
        assert leak not in shown, leak


def test_the_details_only_when_asked_for(library, monkeypatch, capfd):
    """The check above can fail: with CSEC_INTERVIEW_DEBUG, Textual's report (locals and all)."""
    shown = crashed(library, monkeypatch, capfd, debug=True)
    assert "FICTIONAL-DATA-KEY" in shown and "data_key" in shown
