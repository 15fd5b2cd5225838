"""Practice: the summary as a real interview reaches it, without the export.

A practice writes no file but the trainer's class results (`--results`, on the command line), so
its summary offers no export dialog: no key, no palette command, no action.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Static

from interview.app.screens.summary import SummaryScreen


class PracticeSummaryScreen(SummaryScreen):
    HELP = """\
## Summary (practice)

What your answers add up to and what must happen next, as a real interview's summary shows it,
each with the answers behind it and its source. In the list at the top, **c** confirms and **x**
rejects the highlighted finding (with a reason); **d** marks the highlighted next step done.
**PageUp** and **PageDown** scroll; **Escape** goes back to the practice interview. Practice mode
exports nothing: **ctrl+d** in the interview ends it with the debrief.
"""
    # Textual merges these with SummaryScreen's by key: "e" now only says why there is no export
    # (unlisted: no footer, help or palette entry), and `check_action` refuses "export" itself.
    BINDINGS = [b for b in SummaryScreen.BINDINGS if b.action != "export"] + [
        Binding("e", "no_export", show=False, id="practice_no_export")]

    def on_mount(self) -> None:  # SummaryScreen's on_mount runs too (Textual calls both)
        self.query_one(".dialog-title", Static).update(
            "Findings (practice): c confirm · x reject (with a reason) · d step done")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return action != "export"

    def action_no_export(self) -> None:
        self.notify("Practice mode exports nothing: ctrl+d in the interview gives the debrief.",
                    severity="warning", markup=False)

    action_export = action_no_export  # whoever calls it: the practice summary opens no dialog
