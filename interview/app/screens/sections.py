"""Jump to a section of the flow."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class SectionsScreen(ModalScreen[str | None]):
    HELP = """\
## Sections

Arrow keys and **Enter** jump to a section; **Escape** goes back. Sections with questions for
the youth open only once the confidentiality script has been read.
"""
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="close_sections")]

    def __init__(self, session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        options = []
        for section, done, total in self.session.progress():
            locked = not self.session.may_jump(section.id)
            note = "  (after the script)" if locked else ""
            options.append(Option(f"{section.title}  {done}/{total}{note}", id=section.id,
                                  disabled=locked))
        with Vertical(classes="dialog"):
            yield Static("Jump to a section", classes="dialog-title")
            yield OptionList(*options, id="sections")

    def on_mount(self) -> None:
        current = self.session.current
        menu = self.query_one(OptionList)
        if current is not None:
            menu.highlighted = [s.id for s in self.session.flow.sections].index(current.section)
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)
