"""The summary: what the answers add up to, what must happen next, and the worker's review.

Worker-facing: it uses the legal terms. Everything in it comes from `Findings.as_json`, the same
data `assess --json` prints.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from interview.errors import InterviewError
from interview.app.widgets.response_panel import response_text
from interview.rules.evidence import describe as because
from interview.text import plain

COLUMNS = (("sex_trafficking", "Sex trafficking (CSEC)"), ("labor", "Exploiting a child's labor"),
           ("criminal_activity", "Involving a child in criminal activity"))
FORMS = (("sex_trafficking", "Sex trafficking"), ("labor_trafficking", "Labor trafficking"),
         ("criminal_activity", "Criminal activity"))


def report(findings: dict, library) -> Text:
    out = Text()

    def head(title: str) -> None:
        out.append(f"\n{title}\n", style="bold underline")

    def evidence(evs: list, indent: str = "      ") -> None:
        for ev in evs:
            out.append(f"{indent}because: {plain(because(ev))}\n", style="dim")

    head("Red flags by column")
    for column, title in COLUMNS:
        rows = [rf for rf in findings["red_flags"] if column in rf["columns"]]
        out.append(f"  {title} ({len(rows)})\n", style="bold")
        for rf in rows:
            out.append(f"   {rf['row']:>2}. {rf['label']}\n")
            evidence(rf["evidence"])
    ar = findings["at_risk"]
    head("At-Risk of commercial sexual exploitation")
    out.append(f"  {ar['explanation']}\n", style="bold" if ar["met"] else "")
    for letter, evs in ar["evidence"].items():
        out.append(f"  {letter}. {library.at_risk[letter].label}\n")
        evidence(evs)
    d = findings["disclosures"]
    head("Disclosures")
    for kind, title in FORMS:
        out.append(f"  {title}: {'DISCLOSED' if d[kind] else 'no'}\n")
        evidence(d["evidence"].get(kind, []))
    for note in d["notes"]:
        out.append(f"  Note: {note}\n", style="italic")
    for rf in findings["risk_factors"]:
        out.append(f"  Context (not an A-H indicator): {rf['label']}\n")
    head("CSEC Type (CSEC Data Grid)")
    ct = findings["csec_type"]
    if ct:
        dates = f"start {ct['start_date']}" + (f", end {ct['end_date']}" if ct["end_date"] else "")
        out.append(f"  {ct['label']}: {dates}\n  {ct['reason']}\n")
    else:
        out.append("  None.\n")
    head("Response")  # what is suspected, how fast, jurisdiction (the hotline's panel too)
    out.append_text(response_text(findings, steps=False))
    out.append("\n")
    head("Next steps")
    for n, step in enumerate(findings["next_steps"], 1):
        out.append(f"  {n}. {step['action']}\n")
        out.append(f"     Who: {step['who']}. By: {step['deadline']}.\n")
        out.append(f"     Why: {step['reason']} Source: {step['source']}\n", style="dim")
    return out


class SummaryScreen(Screen):
    HELP = """\
## Summary

What the answers add up to and what must happen next, each with the answers behind it and its
source. In the list at the top, **c** confirms and **x** rejects the highlighted finding; you
give a reason and the findings update (a rejected indicator no longer counts). **PageUp** and
**PageDown** scroll the summary; **Escape** goes back to the interview.
"""
    BINDINGS = [
        Binding("c", "decide('confirm')", "Confirm", id="confirm_finding"),
        Binding("x", "decide('reject')", "Reject", id="reject_finding"),
        Binding("pagedown", "scroll_report(1)", "Scroll", show=False, id="page_down"),
        Binding("pageup", "scroll_report(-1)", "Scroll up", show=False, id="page_up"),
        Binding("escape", "dismiss", "Back to the interview", id="back_to_interview"),
    ]

    def __init__(self, library, session):
        super().__init__()
        self.library = library
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static("Proposed findings: c confirm · x reject (with a reason)",
                         classes="dialog-title")
            yield OptionList(id="review")
            with VerticalScroll(id="report"):
                yield Static(id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        self.rebuild()
        self.query_one("#review").focus()

    def review_items(self, findings: dict) -> list[tuple[str, str]]:
        decided = {o["finding"]: o for o in findings["overrides"]}

        def state(key: str) -> str:
            o = decided.get(key)
            return f"[{o['decision']}ed] " if o else "[proposed] "

        items = [(f"red_flag:{rf['id']}", f"#{rf['row']} {rf['label']}")
                 for rf in findings["red_flags"]]
        items += [(f"at_risk:{x}", f"{x}. {self.library.at_risk[x].label}")
                  for x in findings["at_risk"]["indicators"]]
        items += [(f"disclosure:{k}", f"Disclosed: {t.lower()}") for k, t in FORMS
                  if findings["disclosures"][k]]
        shown = {key for key, _ in items}
        items += [(key, f"{key} (rejected: {o['reason']})") for key, o in decided.items()
                  if key not in shown and o["decision"] == "reject"]
        return [(key, state(key) + label) for key, label in items]

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
        self.query_one("#report-body", Static).update(report(findings, self.library))

    def action_decide(self, decision: str) -> None:
        from interview.app.screens.reason import ReasonScreen

        menu = self.query_one("#review", OptionList)
        if menu.highlighted is None:
            return
        option = menu.get_option_at_index(menu.highlighted)
        if option.id == "none":
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
        self.app.push_screen(ReasonScreen(f"{verb} {option.id}: why?"), decided)

    def action_scroll_report(self, direction: int) -> None:
        report_view = self.query_one("#report", VerticalScroll)
        report_view.scroll_page_down() if direction > 0 else report_view.scroll_page_up()

    def action_dismiss(self) -> None:
        self.dismiss(None)
