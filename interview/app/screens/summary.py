"""The summary: what the answers add up to, what must happen next, and the worker's review.

Worker-facing: it uses the legal terms. Everything in it comes from `Findings.as_json`, the same
data `assess --json` prints; its words are templates/app-summary.j2, rendered like the reports.
"""

from __future__ import annotations

import html
import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interview.errors import InterviewError
from interview.app.widgets.footer import Footer
from interview.app.widgets.response_panel import response_text
from interview.text import plain

from interview.reports.document import finding_label


_TAG = re.compile(r'<s style="([^"<>]*)">|</s>|<insert name="(\w+)"/>')


def styled(markup: str, inserts: dict[str, Text]) -> Text:
    """Styled text from the `app` format of templates/app-summary.j2: every value there is
    escaped as in HTML, so a tag can only be the template's and typed text stays text (never
    Rich markup: `Text.append` interprets nothing)."""
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    out, styles, pos = Text(), [], 0

    def text(upto: int) -> None:
        if upto > pos:
            out.append(html.unescape(markup[pos:upto]), style=styles[-1] if styles else "")

    for tag in _TAG.finditer(markup):
        text(tag.start())
        pos = tag.end()
        if tag.group(2) is not None:
            out.append_text(inserts.get(tag.group(2), Text()))
        elif tag.group(0) == "</s>":
            styles.pop() if styles else None
        else:
            try:
                style = Style.parse(tag.group(1)) if tag.group(1) else Style()
            except StyleSyntaxError as exc:
                raise InterviewError(f"app-summary.j2: style {tag.group(1)!r}: {exc}; use Rich "
                                     "style words such as bold, italic, dim, underline") from None
            styles.append(styles[-1] + style if styles else style)
    text(len(markup))
    return out


def report(findings: dict, library, record) -> Text:
    """The findings in words (templates/app-summary.j2, from the one model of the findings every
    renderer uses), or what stops them being shown."""
    from interview.reports.document import findings_view
    from interview.reports.render import render_text

    try:
        markup = render_text("app-summary.j2", library.county.templates, fmt="app",
                             f=findings_view(library, record, findings))
        return styled(markup, {"response": response_text(findings, steps=False)})
    except InterviewError as exc:
        return Text(f"The summary cannot be shown: {plain(str(exc))}")


class SummaryScreen(Screen):
    HELP = """\
## Summary

What the answers add up to and what must happen next, each with the answers behind it and its
source. In the list at the top, **c** confirms and **x** rejects the highlighted finding; you
give a reason and the findings update (a rejected indicator no longer counts). Below the
findings are the next steps: **d** marks the highlighted one done (with an optional note, such
as a referral number) or open again. **e** exports the case note, the CWS/CMS block and the MDT
handout (text, Markdown, a printable page or JSON). **PageUp** and **PageDown** scroll the
summary; **Escape** goes back to the interview.
"""
    BINDINGS = [
        Binding("c", "decide('confirm')", "Confirm", id="confirm_finding"),
        Binding("x", "decide('reject')", "Reject", id="reject_finding"),
        Binding("d", "mark_done", "Done", id="mark_step_done"),
        Binding("e", "export", "Export", id="export"),
        # Before the list's own PageUp/PageDown: they scrolled the few findings at the top and
        # the summary did not move.
        Binding("pagedown", "scroll_report(1)", "Scroll", show=False, id="page_down",
                priority=True),
        Binding("pageup", "scroll_report(-1)", "Scroll up", show=False, id="page_up",
                priority=True),
        Binding("escape", "dismiss", "Back", id="back_to_interview"),
    ]

    def __init__(self, library, session, saved=None):
        """`saved`: the SavedSession behind `session`, if any (exports are audited, and the
        store has the child's earlier CSEC Data Grid rows)."""
        super().__init__()
        self.library = library
        self.session = session
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static("Findings: c confirm · x reject (with a reason) · d step done · "
                         "e export", classes="dialog-title")
            yield OptionList(id="review")
            with VerticalScroll(id="report"):
                yield Static(id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        self.rebuild()
        self.query_one("#review").focus()

    @property
    def setting(self) -> str:
        return self.session.flow.setting

    def review_items(self, findings: dict) -> list[tuple[str, str]]:
        decided = {o["finding"]: o for o in findings["overrides"]}
        proposed = [(f"red_flag:{rf['id']}", f"#{rf['row']} {rf['label']}")
                    for rf in findings["red_flags"]]
        proposed += [(f"at_risk:{x}", f"{x}. {self.library.at_risk[x].label}")
                     for x in findings["at_risk"]["indicators"]]
        proposed += [(f"disclosure:{k}", finding_label(self.library, f"disclosure:{k}",
                                                        self.setting))
                     for k in self.library.vocabulary.labels("forms")
                     if findings["disclosures"][k]]
        # Not proposed, but the worker's to confirm: an indicator the red flags are reasons to
        # ask about, and a suspicion of a form part of which was told.
        to_decide = [(f"at_risk:{a['indicator']}", f"{a['indicator']}. "
                      f"{self.library.at_risk[a['indicator']].label} (ask more)")
                     for a in findings["at_risk"]["ask_more"]]
        to_decide += [(f"suspected:{form}", finding_label(self.library, f"suspected:{form}")
                       + " (part of it was told)") for form in findings["suspected"]["to_decide"]]
        shown = {key for key, _ in proposed + to_decide}
        # what the worker decided that is not in the lists (rejected, or a suspicion confirmed)
        decided_only = [(key, finding_label(self.library, key, self.setting) + (
                            f" (rejected: {o['reason']})" if o["decision"] == "reject"
                            else f" ({o['reason']})"))
                        for key, o in decided.items() if key not in shown]

        def state(key: str, undecided: str) -> str:
            o = decided.get(key)
            return f"[{o['decision']}ed] " if o else undecided

        items = [(key, state(key, "[proposed] ") + label) for key, label in proposed + decided_only]
        items += [(key, state(key, "[yours to decide] ") + label) for key, label in to_decide]
        done = self.session.record.next_steps_done
        items += [(f"next_step:{step['id']}", f"[{'done' if step['id'] in done else 'open'}] "
                   f"{n}. {step['action']}") for n, step in enumerate(findings["next_steps"], 1)]
        return items

    def rebuild(self) -> None:
        findings = self.session.findings.as_json(self.library)
        menu = self.query_one("#review", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        items = self.review_items(findings)
        menu.add_options([Option(Text(plain(label)), id=key) for key, label in items]
                         or [Option("Nothing was found to review.", id="none", disabled=True)])
        if items:
            menu.highlighted = min(highlighted or 0, len(items) - 1)
        self.query_one("#report-body", Static).update(
            report(findings, self.library, self.session.record))

    def action_decide(self, decision: str) -> None:
        from interview.app.screens.reason import ReasonScreen

        menu = self.query_one("#review", OptionList)
        if menu.highlighted is None:
            return
        option = menu.get_option_at_index(menu.highlighted)
        if option.id == "none" or option.id.startswith("next_step:"):
            return

        def decided(reason: str | None) -> None:
            if not reason:
                return
            try:
                self.session.override(option.id, decision, reason)
            except InterviewError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.rebuild()

        verb = "Confirm" if decision == "confirm" else "Reject"
        self.app.push_screen(ReasonScreen(
            f"{verb} “{finding_label(self.library, option.id, self.setting)}”: why?"), decided)

    def action_mark_done(self) -> None:
        """Mark the highlighted next step done (asking for an optional note), or open again."""
        from interview.app.screens.reason import ReasonScreen

        menu = self.query_one("#review", OptionList)
        if menu.highlighted is None:
            return
        key = menu.get_option_at_index(menu.highlighted).id or ""
        if not key.startswith("next_step:"):
            self.notify("Highlight a next step (below the findings) to mark it done.")
            return
        step_id = key.split(":", 1)[1]

        def mark(done: bool, note: str = "") -> None:
            try:
                self.session.mark_next_step(step_id, done=done, note=note)
            except InterviewError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.rebuild()

        if step_id in self.session.record.next_steps_done:
            mark(False)
        else:
            self.app.push_screen(ReasonScreen("Done. A note (optional), e.g. who you told, a "
                                              "referral number:", optional=True),
                                 lambda note: note is not None and mark(True, note))

    def action_export(self) -> None:
        from interview.app.screens.export import ExportScreen

        def exported(path) -> None:
            if path is not None:
                self.notify(f"Saved {path}. It is not encrypted: keep it safe.", markup=False)

        self.app.push_screen(ExportScreen(self.library, self.session, self.saved), exported)

    def action_scroll_report(self, direction: int) -> None:
        report_view = self.query_one("#report", VerticalScroll)
        report_view.scroll_page_down() if direction > 0 else report_view.scroll_page_up()

    def action_dismiss(self) -> None:
        self.dismiss(None)
