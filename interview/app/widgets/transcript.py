"""The conversation so far: what the worker said and what was recorded.

One growing rich Text in one Static, not a widget per message, so the screen stays light. It is
built from Text objects only, so nothing typed is read as markup or escapes.

What a line says is worked out from the session's events (`describe`), the same way while the
interview goes on and when a saved one is resumed: a resumed interview shows what was said.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from interview.engine.said import as_asked
from interview.record import language_name
from interview.text import plain

SAID_LENGTH = 160
ANSWER_WORDS = {"yes": "yes", "no": "no", "declined": "declined to answer", "unsure": "unsure"}


def seen_words(library, flow, red_flag: str, youth_present: bool) -> str:
    """How the screen names something the worker saw: with a youth in the room, the flow's
    plain hint (validated), never the chart's own label ("Glamorizing pimping/...")."""
    item = flow.observation_items.get(red_flag)
    if youth_present:
        return item.hint if item and item.hint else f"chart row {library.red_flags[red_flag].row}"
    return library.red_flags[red_flag].label


def recorded(step, answer, shown: Callable[[str], str] = str) -> str:
    """What was recorded for a closed or open answer: the answer, the notes, what was ticked."""
    labels = [shown(c.label) for c in step.cues if c.id in answer.cues]
    return "; ".join(x for x in (
        ANSWER_WORDS.get(answer.value, ""), answer.text.strip(),
        ("ticked: " + ", ".join(labels)) if labels else "") if x) or "(no notes)"


def said_as(library, step, record) -> str:
    """What was said for a step, in the language it was asked in: a translation with its
    language's code before it, or the English (marked when it had to be interpreted)."""
    text = as_asked(library, step, record)
    if text.language == "en":
        return text.text
    return f"[{text.language}{', interpreted' if text.interpret else ''}] {text.text}"


def describe(library, flow, event, record, youth_present: bool,
             shown: Callable[[str], str] = str, ticks: bool = False):
    """One event as the transcript shows it: (said, recorded), a note (str), or None.

    `record`: the record just after the event. `ticks`: show each red flag ticked (the hotline,
    where the ticks are the call); otherwise the checklist is summed up when it is done.
    """
    step = flow.by_id.get(event.step) if event.step else None
    kind = event.type
    if kind in ("answer", "edit") and step is not None:
        answer = record.answers.get(step.id)
        said = "Case facts" if step.kind == "facts" else said_as(library, step, record)
        if step.kind == "script":
            what = "read"
        elif step.kind == "facts":
            what = "recorded"
        elif step.kind == "observation":
            what = ", ".join(shown(seen_words(library, flow, rf, youth_present))
                             for rf in record.observations) or "nothing ticked"
        else:
            what = recorded(step, answer, shown) if answer else "(no notes)"
        return said, ("changed: " if kind == "edit" else "") + what
    if kind == "skip" and step is not None:
        said = "Case facts" if step.kind == "facts" else said_as(library, step, record)
        return said, ("skipped (declined)" if step.is_question and step.audience != "worker"
                      else "skipped for now" if step.kind == "facts" else "skipped")
    if kind in ("observe", "unobserve") and ticks:
        words = shown(seen_words(library, flow, event.value, youth_present))
        return "Red flag", ("ticked: " if kind == "observe" else "unticked: ") + words
    if kind == "back":
        return "(back)"
    if kind == "jump":
        target = flow.section_by_id.get(event.value)
        name = target.title if target else library.step_text(flow.by_id[event.value])[:60]
        return f"(to: {shown(name)})"
    if kind == "reread":
        return "(re-reading the confidentiality script)"
    if kind == "language":
        return f"(speaking {language_name(record.language)} from here)"
    if kind == "handoff" and isinstance(event.value, dict):  # interview/handoff.py
        return (f"(started from the hotline call of {event.value.get('hotline', {}).get('date')}"
                ": its case facts are marked as reported until you confirm them)")
    if kind == "confirm":
        return f"(confirmed the reported {str(event.value).replace('_', ' ')})"
    if kind == "review":
        return "(reviewed by the supervisor: see the summary, ctrl+l)"
    if kind == "term" and isinstance(event.value, dict) and event.value.get("word"):
        return f"(their word for {event.value.get('name')}: {event.value.get('word')})"
    return None


class Transcript(VerticalScroll):
    can_focus = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lines_said: list[str] = []  # what was written, for tests and later export
        self._text = Text()

    def compose(self) -> ComposeResult:
        yield Static(id="transcript-body")

    def on_mount(self) -> None:
        self.anchor()  # stay at the newest message as the transcript grows

    def _write(self, text: str, style: str = "", update: bool = True) -> None:
        self.lines_said.append(text)
        self._text.append(text + "\n", style=style)
        if update:
            self.query_one("#transcript-body", Static).update(self._text)

    def add(self, said: str, recorded: str, update: bool = True) -> None:
        said = " ".join(plain(said).split())
        if len(said) > SAID_LENGTH:  # a long script is shown whole on the card, not here
            said = said[:SAID_LENGTH].rsplit(" ", 1)[0] + " …"
        # No "dim": in the light theme it fades to near the background. What was said is plain,
        # what was recorded bold, the app's own notes italic.
        self._write(said, update=False)
        self._write("    " + plain(recorded) + "\n", "bold", update=update)

    def note(self, text: str, update: bool = True) -> None:
        self._write(plain(text), "italic", update=update)

    def show(self, entry, update: bool = True) -> None:
        """Write what `describe` gave: a pair (said, recorded) or a note."""
        if isinstance(entry, tuple):
            self.add(*entry, update=update)
        elif entry:
            self.note(entry, update=update)

    def refresh_body(self) -> None:
        self.query_one("#transcript-body", Static).update(self._text)
