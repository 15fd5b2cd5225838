"""Practice: the debriefs of this session, to reopen after they were closed (issue 14, item 6).

A debrief is kept in memory for as long as the practice runs (one trainee's process), and in the
class results when the trainer gave a results file: the only place it is ever written, marked
PRACTICE / FICTIONAL, for the trainer to print with `csec-interview practice export RESULTS
--debriefs`. A debrief that could not be kept there (a full disk) can be kept again from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interview.errors import InterviewError
from interview.text import plain


@dataclass
class KeptDebrief:
    """One finished practice: its debrief (object and text) and whether the results hold it."""

    debrief: object
    text: str
    results: object = None          # the trainer's results file, or None
    kept: bool = False
    message: str = ""

    def keep(self) -> str:
        """Add it to the class results (the trainer's results file, nowhere else)."""
        from interview.practice import results

        if self.results is None:
            self.message = ("Not kept: practice was started without a results file (the trainer "
                            "starts a class with --results FILE).")
        elif self.kept:
            self.message = "Kept in the class results, for your trainer."
        else:
            try:
                results.append(self.results, self.debrief, self.text)
                self.kept = True
                self.message = "Your result and this debrief were added to the class results."
            except InterviewError as exc:
                self.message = f"Your result could NOT be kept: {exc}"
        return self.message


class PracticeDebriefsScreen(ModalScreen[KeptDebrief | None]):
    HELP = """\
## Your debriefs

The debriefs of the practice interviews you finished in this session, newest first. **Enter**
reopens one; **k** keeps the highlighted one in the class results if it could not be kept
before; **Escape** goes back.
"""
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="debriefs_back"),
        Binding("k", "keep", "Keep in the class results", id="debriefs_keep"),
    ]

    def __init__(self, kept: list[KeptDebrief]):
        super().__init__()
        self.kept = kept

    def compose(self) -> ComposeResult:
        options = []
        for i, k in reversed(list(enumerate(self.kept))):
            d = k.debrief
            text = Text(f"{plain(d.scenario.title)}: {d.score} / 100", style="bold")
            text.append(f"\n  {d.finished} · " + ("kept for your trainer" if k.kept else
                                                   "not kept in the class results"), style="dim")
            options.append(Option(text, id=str(i)))
        with Vertical(classes="dialog wide"):
            yield Static("Your debriefs (PRACTICE / FICTIONAL)", classes="dialog-title")
            if options:
                yield OptionList(*options, id="debriefs")
            else:
                yield Static("No practice finished yet in this session.", markup=False)

    def on_mount(self) -> None:
        found = self.query("#debriefs")
        if found:
            found.first().focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.kept[int(event.option_id)])

    def action_keep(self) -> None:
        found = self.query("#debriefs")
        if not found:
            return
        menu = found.first(OptionList)
        if menu.highlighted is None:
            return
        k = self.kept[int(menu.get_option_at_index(menu.highlighted).id)]
        message = k.keep()
        self.notify(message, severity="information" if k.kept else "warning", markup=False)
