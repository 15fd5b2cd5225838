"""Create, unlock, or (after inactivity) re-unlock the store with the passphrase.

The passphrase is typed into a password field, checked by the store (a wrong one changes
nothing), and never kept by the app. Quick-hide works here like everywhere. Deriving the key
(scrypt) takes a noticeable moment, so it runs in a worker thread with "Unlocking…" on screen:
the screen never freezes, and quick-hide still answers at once.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from interview.errors import InterviewError
from interview.storage.errors import MIN_PASSPHRASE, SHORT_PASSPHRASE


class UnlockScreen(Screen[bool]):
    """`mode`: "create" (a new store, asked twice), "unlock" (at start) or "lock" (idle)."""

    HELP = """\
## Passphrase

Saved interviews are encrypted with a key only your passphrase opens. Type it and **Enter**.
A new store asks for it twice; choose at least {n} characters and keep it safe: without it the
saved interviews cannot be read by anyone, you included. **ctrl+q** quits.
""".format(n=MIN_PASSPHRASE)
    BINDINGS = [
        Binding("ctrl+q", "app.request_quit", "Quit", id="quit_unlock"),
        Binding("ctrl+w", "without_saving", "Go on without saving", id="without_saving",
                priority=True, show=False),
    ]

    NOTES = {"create": f"At least {MIN_PASSPHRASE} characters. It cannot be recovered if "
                       "forgotten.",
             "unlock": "Type your passphrase.",
             "lock": "Type your passphrase to continue where you were."}

    def __init__(self, store, mode: str):
        super().__init__()
        self.store, self.mode = store, mode
        self.first = ""
        self.wrong = 0  # wrong passphrases given here

    def compose(self) -> ComposeResult:
        titles = {"create": "Choose a passphrase for saved interviews",
                  "unlock": "Unlock saved interviews",
                  "lock": "Locked after a period without use"}
        with Vertical(classes="dialog", id="unlock"):
            yield Static(titles[self.mode], classes="dialog-title")
            yield Static(id="unlock-note")
            yield Input(password=True, placeholder="Passphrase", id="passphrase")
            yield Static(id="unlock-error")

    def on_mount(self) -> None:
        self.query_one("#unlock-note", Static).update(self.NOTES[self.mode])
        self.query_one("#unlock-error").display = False
        self.query_one("#passphrase").focus()
        if self.mode == "create":
            try:  # never a new store over interviews whose store.json is missing
                type(self.store).check_new(self.store.path)
            except InterviewError as exc:
                self.cannot_use(exc)

    def fail(self, message: str) -> None:
        error = self.query_one("#unlock-error", Static)
        error.update(Text(message))
        error.display = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        passphrase, event.input.value = event.value, ""
        if self.mode == "create" and not self.first:
            if len(passphrase) < MIN_PASSPHRASE:
                self.fail(SHORT_PASSPHRASE.capitalize() + ".")
                return
            self.first = passphrase
            self.query_one("#unlock-error").display = False  # an earlier refusal is past
            self.query_one("#unlock-note", Static).update("Type it again to confirm.")
            return
        if self.mode == "create" and passphrase != self.first:
            self.first = ""
            self.fail("The two passphrases differ. Choose one again.")
            self.query_one("#unlock-note", Static).update(f"At least {MIN_PASSPHRASE} characters.")
            return
        self.busy(True)
        self.derive(passphrase)

    def busy(self, working: bool) -> None:
        """While the key is derived: say so, and take no more typing."""
        field = self.query_one("#passphrase", Input)
        field.disabled = working
        if working:
            self.query_one("#unlock-error").display = False
            self.query_one("#unlock-note", Static).update(
                "Creating the store…" if self.mode == "create" else "Unlocking…")
        else:
            field.focus()

    @work(thread=True, exclusive=True, group="unlock")
    def derive(self, passphrase: str) -> None:
        """scrypt (N=2^17, about a third of a second) off the event loop."""
        try:
            if self.mode == "create":
                store = type(self.store).create(self.store.path, passphrase)
                self.app.call_from_thread(self.created, store)
            else:
                self.store.unlock(passphrase)
                self.store.audit.append("unlocked")
                self.app.call_from_thread(self.dismiss, True)
        except InterviewError as exc:
            self.app.call_from_thread(self.refused, exc)

    def created(self, store) -> None:
        self.app.store = store
        self.dismiss(True)

    def refused(self, exc: InterviewError) -> None:
        from interview.storage.store import WrongPassphrase

        self.busy(False)
        self.query_one("#unlock-note", Static).update(self.NOTES[self.mode])
        if isinstance(exc, WrongPassphrase):
            self.store.audit.append("wrong_passphrase")
            # the same words every time looked as if the key press did nothing (errors audit C1)
            self.wrong += 1
            self.fail(f"{exc} (try {self.wrong}): check Caps Lock and the keyboard's "
                      "language.")
        elif self.mode == "lock":
            self.fail(str(exc))
        else:  # the store itself cannot be used (read-only, full, damaged)
            self.cannot_use(exc)

    def cannot_use(self, exc: Exception) -> None:
        self.first = ""
        self.fail(f"{exc}. ctrl+w: go on without saving (interviews are kept in memory only, "
                  "until you quit).")

    def action_without_saving(self) -> None:
        """Interview in memory when the store cannot be used; never after an idle lock."""
        if self.mode != "lock":
            self.app.store = None
            self.dismiss(True)
