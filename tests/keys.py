"""Typing through Pilot at a typist's pace rather than Pilot's: `pilot.press(*text)` waits for
the app to go idle after every character; a worker typing a note sends them back to back."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key


async def type_text(pilot, text: str) -> None:
    """Send the characters of `text` in order to whatever has focus, then wait once for the app
    to have handled them all. Only for text typed into one field: a key that moves the focus
    (enter, tab, a binding) goes through `pilot.press`."""
    app = pilot.app
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


async def read_script(pilot, limit: int = 20) -> int:
    """Enter on a script until it is recorded as read: Enter reads on while part of it is below
    the card, and records it at the end. Returns the keys pressed."""
    screen = pilot.app.screen
    step = screen.session.current
    assert step is not None and step.kind == "script", step
    for pressed in range(1, limit + 1):
        await pilot.press("enter")
        await pilot.pause()
        if screen.session.current is not step:
            return pressed
    raise AssertionError(f"the script {step.id} was not recorded after {limit} Enters")


async def past_the_script(pilot) -> None:
    """A youth interview's screen just past the script: the facts skipped, the rapport and the
    script recorded as read, the card drawn at the script's open step for the worker's notes
    (the youth's questions about it)."""
    screen = pilot.app.screen
    screen.session.skip()
    for _ in range(4):
        screen.session.answer("yes")
    screen.refresh_all()
    await pilot.pause()


async def offer_the_checklists(pilot, flow_id: str = "youth") -> None:
    """Past the script (a youth interview), to the offer of the S, L and C checklists, and y to
    it: "Is the youth (caregiver) out of view?" is then asked."""
    from interview.app.screens.message import ConfirmScreen

    screen, session = pilot.app.screen, pilot.app.screen.session
    session.skip()                                   # the case facts, for now
    if flow_id == "youth":
        for _ in range(3):
            session.answer("yes")                    # basic needs, rapport, the script
    session.jump("work_checklists")
    screen.refresh_all()
    await pilot.pause()
    await pilot.press("y")                           # go through the checklists
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen)
