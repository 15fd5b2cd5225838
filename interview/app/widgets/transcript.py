"""The conversation so far: what the worker said and what was recorded.

One growing rich Text in one Static, not a widget per message, so the screen stays light. It is
built from Text objects only, so nothing typed is read as markup or escapes.

What a line says is worked out from the session's events (`describe`), the same way while the
interview goes on and when a saved one is resumed: a resumed interview shows what was said.

The person interviewed may read it: what was ticked about them is counted, not named, and the
worker's checklists (`of_checklist`, in the policy's own words) are shown in words only while
the worker has said that person is out of view; otherwise a count stands in for them.
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
CHECKLISTS_COUNTED = "(your checklists: {count} recorded; shown in words once out of view)"


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


def of_checklist(flow, event) -> bool:
    """Whether the event's line names a step of the worker's checklists (a section
    `out_of_view`): its question and answer, or (a jump to it) its question."""
    step_id = event.value if event.type == "jump" else event.step
    step = flow.by_id.get(step_id) if isinstance(step_id, str) else None
    return step is not None and flow.section_by_id[step.section].out_of_view


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
        elif step.kind == "observation" and youth_present:  # what was seen of them: counted
            what = f"{len(record.observations)} ticked: ctrl+o" if record.observations \
                else "nothing ticked"
        elif step.kind == "observation":
            what = ", ".join(shown(seen_words(library, flow, rf, youth_present))
                             for rf in record.observations) or "nothing ticked"
        else:
            what = recorded(step, answer, shown) if answer else "(no notes)"
        return said, ("changed: " if kind == "edit" else "") + what
    if kind == "skip" and step is not None:
        said = "Case facts" if step.kind == "facts" else said_as(library, step, record)
        return said, ("skipped (not answered)" if step.is_question and step.audience != "worker"
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
    if kind == "handoff" and isinstance(event.value, dict) and record.corrections:
        return "(the hotline corrected the referral: see the summary, ctrl+l)"  # said neutrally
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

    def __init__(self, checklists_in_words: bool = True, **kwargs):
        """`checklists_in_words`: the checklists' lines are shown as said (no one else may read
        the screen); otherwise each run of them is one count (`show_checklists`)."""
        super().__init__(**kwargs)
        self.lines_said: list[str] = []  # what is written now, for tests and later export
        self.entries: list[tuple[tuple[str, str] | str, bool]] = []  # (entry, of a checklist)
        self.checklists_in_words = checklists_in_words
        self._text = Text()
        self._counted = 0  # checklist lines in the count written last (0: none just before)
        self._count_at = 0  # where that count starts in the text

    def compose(self) -> ComposeResult:
        yield Static(id="transcript-body")

    def on_mount(self) -> None:
        self.anchor()  # stay at the newest message as the transcript grows

    def _write(self, text: str, style: str = "") -> None:
        self.lines_said.append(text)
        self._text.append(text + "\n", style=style)

    def _draw(self, entry, checklist: bool) -> None:
        if checklist and not self.checklists_in_words:
            if self._counted:  # one count for a run of them: the last one is rewritten
                self._text.right_crop(len(self._text) - self._count_at)
                self.lines_said.pop()
            self._counted += 1
            self._count_at = len(self._text)
            self._write(CHECKLISTS_COUNTED.format(count=self._counted), "italic")
            return
        self._counted = 0
        if isinstance(entry, tuple):
            said, recorded = entry
            said = " ".join(plain(said).split())
            if len(said) > SAID_LENGTH:  # a long script is shown whole on the card, not here
                said = said[:SAID_LENGTH].rsplit(" ", 1)[0] + " …"
            # No "dim": in the light theme it fades to near the background. What was said is
            # plain, what was recorded bold, the app's own notes italic.
            self._write(said)
            self._write("    " + plain(recorded) + "\n", "bold")
        else:
            self._write(plain(entry), "italic")

    def _keep(self, entry, checklist: bool, update: bool) -> None:
        self.entries.append((entry, checklist))
        self._draw(entry, checklist)
        if update:
            self.refresh_body()

    def add(self, said: str, recorded: str, update: bool = True, checklist: bool = False) -> None:
        self._keep((said, recorded), checklist, update)

    def note(self, text: str, update: bool = True) -> None:
        self._keep(text, False, update)

    def show(self, entry, update: bool = True, checklist: bool = False) -> None:
        """Write what `describe` gave: a pair (said, recorded) or a note. `checklist`: it is a
        line of the worker's checklists (`of_checklist`)."""
        if isinstance(entry, tuple):
            self.add(*entry, update=update, checklist=checklist)
        elif entry:
            self.note(entry, update=update)

    def show_checklists(self, in_words: bool) -> None:
        """Show the checklists' lines in words (the person interviewed is out of view) or
        counted (they may read the screen): everything is written again."""
        if in_words == self.checklists_in_words:
            return
        self.checklists_in_words = in_words
        self._text, self.lines_said, self._counted = Text(), [], 0
        for entry, checklist in self.entries:
            self._draw(entry, checklist)
        if self.is_mounted:
            self.refresh_body()

    def refresh_body(self) -> None:
        self.query_one("#transcript-body", Static).update(self._text)
