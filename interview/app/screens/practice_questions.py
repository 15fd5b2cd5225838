"""Practice: pick the next question to ask, from every question of the flow."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interview.text import plain


class PracticeQuestionsScreen(ModalScreen[str | None]):
    HELP = """\
## Pick a question

Every question of the interview, by section. Arrow keys and **Enter** ask the highlighted one;
**Escape** goes back. A mark shows how many times you asked a question already: asking again
is allowed (a youth may answer differently the second time).
"""
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="close_questions")]

    def __init__(self, run):
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        flow, options = self.run.flow, []
        for section in flow.sections:
            steps = [flow.by_id[s] for s in section.steps if self.run.speaks(flow.by_id[s])]
            if not steps:
                continue
            options.append(Option(Text(plain(section.title), style="bold"), disabled=True))
            for step in steps:
                times = self.run.times_asked[step.id]
                mark = f"[{times}x] " if times else "     "
                text = self.run.library.step_text(step).split("\n")[0]
                options.append(Option(Text(mark + plain(text[:150])), id=step.id))
        with Vertical(classes="dialog wide"):
            yield Static("Ask which question?", classes="dialog-title")
            yield OptionList(*options, id="questions")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        current = self.run.session.current
        ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
        menu.highlighted = ids.index(current.id) if current and current.id in ids else next(
            (i for i, x in enumerate(ids) if x), 0)
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)
