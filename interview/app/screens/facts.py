"""The short form of case facts. The worker may fill it, or skip it and come back (ctrl+n)."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from interview.app.widgets.ticks import Tick, YesNo
from interview.content.model import CONTEXT_FIELDS
from interview.content.vocabulary import vocabulary
from interview.record import Context, read_context
from interview.errors import InputError

# Yes / no / not recorded: a fact nobody answered is "not recorded", never "no".
FLAGS = [
    ("missing", "Missing or abducted"),
    ("foreign_national", "Foreign national"),
    ("immediate_safety_concern", "Safety concern now"),
    ("receiving_child_welfare_services", "Child welfare services"),
    ("caregiver_failed_to_protect", "Parent did not protect"),
]
FLAG_HINTS = {
    "missing": "missing or abducted now",
    "foreign_national": "not a US citizen or permanent resident",
    "immediate_safety_concern": "an immediate safety concern",
    "receiving_child_welfare_services": "receiving child welfare services",
    "caregiver_failed_to_protect": "parent or guardian failed or was unable to protect",
}
TEXTS = [("interviewee", "Interviewee", "initials or name, as the case note should name them"),
         ("interviewer", "Interviewer", "your name")]


# The facts this form has a field for (a reported fact without one gets a keep/remove row).
WIDGET_FACTS = frozenset({"date_of_birth", "interview_date", "case_status", "exploited_during",
                          "exploited_from", "case_id", "absence", "screening_reasons",
                          "interviewer", "interviewee", "missing", "foreign_national",
                          "immediate_safety_concern", "receiving_child_welfare_services",
                          "caregiver_failed_to_protect"})
# The widget that shows a case fact, where its id is not the fact's name.
WIDGETS = {"screening_reasons": "another_child_identified", "absence": "absence_left"}
FIELD_NAMES = {"date_of_birth": "Date of birth", "interview_date": "Interview date",
               "absence.left": "First day absent", "absence.returned": "Day returned",
               "absence": "Absence", "case_status": "Case status",
               "exploited_during": "When it happened", "exploited_from": "Since (date)",
               "interviewer": "Interviewer", "interviewee": "Interviewee"}


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class FactsScreen(ModalScreen[dict | None]):
    HELP = """\
## Case facts

Dates as **YYYY-MM-DD**. **Tab** moves between fields, **ctrl+s** saves, **Escape** leaves
without saving, asking first if anything was changed (you can come back with **ctrl+n**). The
facts decide deadlines and who must be told: a missing child (law enforcement and NCMEC), a
foreign national (OTIP within 24 hours),
an immediate safety concern (the Immediate Crisis team). **When it happened**
is your determination of when the youth was exploited, and decides the CSEC Type: the case
status only proposes one (001); **Since** is the date it began, if known.

Each yes/no fact is **yes**, **no** or **not recorded**: on it, press **y**, **n**, or
**Backspace** for not recorded (or the arrow keys). A fact nobody answered stays "not recorded"
in the summary and the reports; it is never taken as "no". The labels here avoid words a youth
would read as a label, since the youth may see the screen.
"""
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="save_facts"),
        Binding("ctrl+k", "confirm_reported", "Confirm reported", priority=True,
                id="confirm_reported_fact"),
        Binding("escape", "leave", "Skip for now", id="skip_facts"),
    ]

    def __init__(self, context: Context, fields: tuple[str, ...] = (),
                 reported: dict[str, str] | None = None, confirm=None, reported_on: str = "",
                 others: list[tuple[str, str, str]] = ()):
        """`reported`: the facts a hotline screen reported (interview/handoff.py), each
        "reported", "confirmed" or "corrected"; `confirm(name)` records the worker's
        confirmation of one (ctrl+k on its field). `others`: (name, label, value in words) of
        the reported facts this form has no field for, each kept or removed here."""
        super().__init__()
        self.context = context
        # The flow's `fields:` (its facts step); a flow without one shows every case fact.
        self.fields = frozenset(fields or CONTEXT_FIELDS)
        self.reported = dict(reported or {})
        self.confirm = confirm
        self.reported_on = reported_on
        self.others = [o for o in others if o[0] not in self.fields or o[0] not in WIDGET_FACTS]

    def compose(self) -> ComposeResult:
        c, words = self.context, vocabulary()
        with VerticalScroll(classes="dialog wide", id="facts-form"):
            yield Static("Case facts", classes="dialog-title")
            if self.reported:
                yield Static(id="facts-reported", markup=False)
            # What tells this interview apart first (the saved list shows the case number and
            # the interviewee's initials), then the dates and the yes/no facts.
            with Horizontal(classes="row"):
                yield Label("Case number")
                yield Input(c.case_id or "", placeholder="case or client id", id="case_id",
                            compact=True)
            for key, label, hint in TEXTS:
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(getattr(c, key) or "", placeholder=hint, id=key, compact=True)
            with Horizontal(classes="row"):
                yield Label("Date of birth")
                yield Input(_date(c.date_of_birth), placeholder="YYYY-MM-DD", id="date_of_birth",
                            compact=True)
            with Horizontal(classes="row"):
                yield Label("Interview date")
                yield Input(_date(c.interview_date) or dt.date.today().isoformat(),
                            placeholder="YYYY-MM-DD", id="interview_date", compact=True)
            with Horizontal(classes="row"):
                yield Label("Case status")
                yield Select(words.choices("case_statuses"), value=c.case_status or Select.NULL,
                             prompt="Not known", id="case_status", compact=True)
            for key, label in FLAGS:
                with Horizontal(classes="row"):
                    yield Label(label)
                    choice = YesNo(getattr(c, key), id=key)
                    choice.tooltip = FLAG_HINTS[key]
                    yield choice
            # who must be screened (002): the one criterion no answer or red flag records
            yield Tick("Another child in the home was identified (S)",
                       "another_child_identified" in c.screening_reasons,
                       id="another_child_identified", compact=True)
            # The worker's determination, usually made after the interview.
            with Horizontal(classes="row"):
                yield Label("When it happened")
                yield Select(words.choices("exploited_during"),
                             value=c.exploited_during or Select.NULL,
                             prompt="Not recorded", id="exploited_during", compact=True)
            with Horizontal(classes="row"):
                yield Label("Since (date)")
                yield Input(_date(c.exploited_from), placeholder="YYYY-MM-DD, if known",
                            id="exploited_from", compact=True)
            with Horizontal(classes="row"):
                yield Label("Absent from")
                yield Input(_date(c.absence.left) if c.absence else "",
                            placeholder="first day absent", id="absence_left", compact=True)
                yield Input(_date(c.absence.returned) if c.absence else "",
                            placeholder="day returned", id="absence_returned", compact=True)
            # Reported facts this form has no field for: kept as reported, or removed.
            for name, label, shown in self.others:
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Select([(f"as reported: {shown}", "keep"), ("not so: remove it",
                                                                       "drop")],
                                 value="keep", allow_blank=False, id=f"reported-{name}",
                                 compact=True)
            yield Static(id="facts-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Skip for now (Esc)", id="skip", compact=True)

    def on_mount(self) -> None:
        self.query_one("#facts-error").display = False
        for name in set(CONTEXT_FIELDS) - self.fields:  # not a field of this flow: not shown
            for widget in self.query(f"#{WIDGETS.get(name, name)}"):
                (widget.parent if widget.parent is not self.query_one("#facts-form")
                 else widget).display = False
        self.mark_reported()
        self.query_one("#case_id").focus()
        self.opened = self.entered()

    def entered(self) -> tuple:
        """What each field holds now, as typed or chosen (to tell whether anything changed)."""
        return tuple((w.id, w.value) for w in self.query("Input, Select, YesNo, Tick"))

    def action_leave(self) -> None:
        """Escape (or Skip for now): a message on the form goes first; then, if anything was
        typed or chosen, the worker says it may be lost (it was lost without a word)."""
        from interview.app.screens.message import ConfirmScreen

        error = self.query_one("#facts-error", Static)
        if error.display:
            error.display = False
            return
        if self.entered() == self.opened:
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmScreen(
            "Leave without saving?", "What you typed or chose here is not saved. ctrl+s saves "
            "it; leaving loses it.", yes="Leave without saving", no="Keep editing"),
            lambda leave: self.dismiss(None) if leave else None)

    # --- facts a hotline screen reported: marked until the worker confirms or corrects them ----

    def _widget_id(self, name: str) -> str:
        if any(o[0] == name for o in self.others):
            return f"reported-{name}"
        return WIDGETS.get(name, name)

    def _row(self, name: str):
        for widget in self.query(f"#{self._widget_id(name)}"):
            if isinstance(widget.parent, Horizontal) and widget.parent.has_class("row"):
                return widget.parent
        return None

    def mark_reported(self) -> None:
        if not self.reported:
            return
        waiting = []
        for name, status in self.reported.items():
            row = self._row(name)
            if row is None:
                continue
            row.set_class(status == "reported", "reported")
            label = row.query_one(Label)
            text = str(label.content).removeprefix("» ")
            label.update(Text(("» " if status == "reported" else "") + text))
            if status == "reported":
                waiting.append(name)
        note = self.query_one("#facts-reported", Static)
        note.update(Text(f"Fields marked » are as reported by the hotline on {self.reported_on}"
                         ": on one, ctrl+k confirms it, or change it to correct it."
                         if waiting else "The facts reported by the hotline are confirmed or "
                         "corrected."))

    def action_confirm_reported(self) -> None:
        names = {self._widget_id(n): n for n in self.reported}
        node = self.focused
        while node is not None and node.id not in names:
            node = node.parent
        name = names.get(node.id) if node is not None else None
        if name is None or self.reported.get(name) != "reported" or self.confirm is None:
            self.notify("Move to a field marked » (reported by the hotline) to confirm it.",
                        markup=False)
            return
        try:
            self.confirm(name)
        except InputError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reported[name] = "confirmed"
        self.mark_reported()

    def values(self) -> dict:
        def text(wid: str) -> str | None:
            return self.query_one(f"#{wid}", Input).value.strip() or None

        status = self.query_one("#case_status", Select).value
        when = self.query_one("#exploited_during", Select).value
        facts = {
            "date_of_birth": text("date_of_birth"),
            "interview_date": text("interview_date"),
            "case_status": None if status is Select.NULL else status,
            "exploited_during": None if when is Select.NULL else when,
            "exploited_from": text("exploited_from"),
            "case_id": text("case_id"),
            "absence": None,
            **{key: text(key) for key, _, _ in TEXTS},
        }
        for key, _ in FLAGS:  # yes, no, or None: not recorded
            facts[key] = self.query_one(f"#{key}", YesNo).value
        others = [r for r in self.context.screening_reasons if r != "another_child_identified"]
        if self.query_one("#another_child_identified", Tick).value:
            others.append("another_child_identified")
        facts["screening_reasons"] = others or None
        left, returned = text("absence_left"), text("absence_returned")
        if left or returned:
            facts["absence"] = {"left": left, "returned": returned}
        facts = {k: v for k, v in facts.items() if k in self.fields}
        for name, _, _ in self.others:  # removed here: the reported fact is dropped
            if self.query_one(f"#reported-{name}", Select).value == "drop":
                facts[name] = None
        return facts

    def problem(self, facts: dict) -> str:
        """What is wrong with the facts as the form holds them, in the form's words; or ""."""
        try:
            if facts.get("absence") and None in facts["absence"].values():
                raise InputError("absence: give both the first day absent and the day returned")
            read_context({k: v for k, v in facts.items() if v is not None})
        except InputError as exc:
            message = str(exc)
            for key, label in FIELD_NAMES.items():  # the form's words, not the file's keys
                message = message.replace(f"context.{key}", label)
            # The form may be on screen with the youth in the room: no label in its messages.
            return message.replace("the date the child became a victim", "the date it began")
        return ""

    def action_save(self) -> None:
        facts = self.values()
        message = self.problem(facts)
        if message:
            error = self.query_one("#facts-error", Static)
            error.update(Text(message))
            error.display = True
            # below the fold at 80x24 it looked as if ctrl+s did nothing: bring it into view
            # (the message sits at the foot of the form, above its buttons)
            form = self.query_one("#facts-form")
            self.call_after_refresh(form.scroll_end, animate=False)
            return
        self.dismiss(facts)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A message on the form goes once what it named is corrected (or says what is wrong
        now): it stayed after the date was put right, until the next save."""
        error = self.query_one("#facts-error", Static)
        if error.display:
            message = self.problem(self.values())
            error.update(Text(message))
            error.display = bool(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_leave()
