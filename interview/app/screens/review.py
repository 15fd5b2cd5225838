"""A supervisor's review of one interview: the findings with their evidence and the worker's
overrides, and each determination (interview.review.determinations) approved or returned with a
comment. It returns a `Review` (or None when the supervisor leaves without sending one).

It needs only an engine Session: no store, no database. county-read opens it from
`csec-interview county review ID` with the session it decrypted: `ReviewApp(session, findings,
session_id=ID).run()` returns the Review. Everything the supervisor types is shown as text.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interview.app.app import QuietCrash
from interview.app.widgets.footer import Footer
from interview.errors import InterviewError
from interview.review import Review, determinations, unfinished
from interview.text import plain

MARKS = {"approve": "[approved] ", "return": "[RETURNED] ", None: "[ ] "}


def _findings_json(session, findings) -> dict:
    if findings is None:
        findings = session.findings
    return findings if isinstance(findings, dict) else findings.as_json(session.library)


class ReviewScreen(Screen[Review | None]):
    HELP = """\
## Review

Each determination of the interview is listed at the top: **a** approves the highlighted one
(a comment is optional), **r** returns it to the worker with a comment saying what to change.
Below are the findings in words, with the answers behind each and the worker's overrides.
**ctrl+s** sends the review once every determination is decided; **Escape** leaves without
sending anything. **PageUp** and **PageDown** scroll the findings.
"""
    BINDINGS = [
        Binding("a", "decide('approve')", "Approve", id="approve_determination"),
        Binding("r", "decide('return')", "Return", id="return_determination"),
        Binding("ctrl+s", "send", "Send review", priority=True, id="send_review"),
        Binding("pagedown", "scroll_report(1)", "Scroll", show=False, id="review_page_down"),
        Binding("pageup", "scroll_report(-1)", "Scroll up", show=False, id="review_page_up"),
        Binding("escape", "leave", "Leave", id="leave_review"),
    ]

    def __init__(self, session, findings=None, *, session_id: str, setting: str | None = None,
                 reviewer: str | None = None, replaces: str = ""):
        super().__init__()
        self.reviewer = reviewer  # the supervisor's county database role, kept in the review
        self.replaces = replaces  # the review already sent, which this one replaces (or "")
        self.session = session
        self.library = session.library
        self.session_id = session_id
        self.findings = _findings_json(session, findings)
        self.determinations = determinations(self.findings, self.library,
                                             setting or session.flow.setting)
        self.decisions: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static("Review: a approve · r return (with a comment) · ctrl+s send",
                         classes="dialog-title")
            if not self.session.finished:  # as the worker's case note says it
                yield Static(f"{unfinished(self.session)}.",
                             id="review-unfinished", markup=False)
            if self.replaces:  # said before anything is decided, not after it is sent
                yield Static(Text(plain(f"Reviewed already: {self.replaces}. The review you "
                                        "send replaces it.")), id="review-replaces")
            yield OptionList(id="review")
            with VerticalScroll(id="report"):
                yield Static(id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        from interview.app.screens.summary import report

        self.query_one("#report-body", Static).update(self.findings_text(report))
        self.rebuild()
        self.query_one("#review").focus()

    def findings_text(self, report) -> Text:
        """The findings in words (the worker's summary) after the worker's overrides."""
        from interview.reports.document import findings_view
        from interview.reports.render import render_text

        try:
            view = findings_view(self.library, self.session.record, self.findings,
                                 self.session.events)
            head = render_text("review-overrides.j2", self.library.county.templates,
                               overrides=view["overrides"])
        except InterviewError as exc:
            head = f"The worker's overrides cannot be shown: {exc}"
        text = Text(plain(head))  # typed reasons: text, never markup
        if head:
            text.append("\n")
        text.append(report(self.findings, self.library, self.session.record))
        return text

    def option_text(self, d) -> Text:
        decision, comment = self.decisions.get(d.id, (None, ""))
        text = Text(MARKS[decision], style="bold" if decision == "return" else "")
        text.append(plain(f"{d.title}: {d.value}"))
        if comment:
            text.append(plain(f"  \u201c{comment}\u201d"), style="italic")
        return text

    def rebuild(self) -> None:
        menu = self.query_one("#review", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options([Option(self.option_text(d), id=d.id) for d in self.determinations]
                         or [Option("Nothing was determined to review.", id="none",
                                    disabled=True)])
        if self.determinations:
            menu.highlighted = min(highlighted or 0, len(self.determinations) - 1)

    def action_decide(self, decision: str) -> None:
        from interview.app.screens.reason import ReasonScreen

        menu = self.query_one("#review", OptionList)
        if menu.highlighted is None or not self.determinations:
            return
        d = self.determinations[menu.highlighted]

        def decided(comment: str | None) -> None:
            if comment is None:
                return
            self.decisions[d.id] = (decision, comment)
            self.rebuild()
            nxt = next((i for i, x in enumerate(self.determinations)
                        if x.id not in self.decisions), None)
            if nxt is not None:
                menu.highlighted = nxt

        question = (f"Approve \u201c{d.title}\u201d. A comment (optional):" if decision == "approve"
                    else f"Return \u201c{d.title}\u201d to the worker: what should change?")
        self.app.push_screen(ReasonScreen(question, optional=decision == "approve"), decided)

    def action_send(self) -> None:
        left = [d for d in self.determinations if d.id not in self.decisions]
        if not self.determinations:
            self.notify("Nothing was determined: there is nothing to review.", markup=False)
            return
        if left:
            self.notify(f"Decide each determination first: {len(left)} left "
                        f"({left[0].title}).", markup=False)
            return
        try:
            review = Review.make(self.session_id, self.findings,
                                 [(d.id, *self.decisions[d.id], d.value)
                                  for d in self.determinations], reviewer=self.reviewer)
        except InterviewError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.dismiss(review)

    def action_leave(self) -> None:
        self.dismiss(None)

    def action_scroll_report(self, direction: int) -> None:
        view = self.query_one("#report", VerticalScroll)
        view.scroll_page_down() if direction > 0 else view.scroll_page_up()


class ReviewApp(QuietCrash, App[Review | None]):
    """The review screen alone, on a Session (no store): `run()` returns the Review, or None."""

    CSS_PATH = "../app.tcss"
    TITLE = "Review"

    def __init__(self, session, findings=None, *, session_id: str, reviewer: str | None = None,
                 replaces: str = ""):
        super().__init__()
        self.session = session
        self.findings = findings
        self.session_id = session_id
        self.reviewer = reviewer
        self.replaces = replaces

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.session, self.findings, session_id=self.session_id,
                                      reviewer=self.reviewer, replaces=self.replaces), self.exit)
