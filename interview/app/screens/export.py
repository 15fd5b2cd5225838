"""Export the interview's report: the case note, the CWS/CMS block and the MDT handout, in the
chosen format, to the chosen file. The same `interview.reports.export` the `report` command uses.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from interview.app.widgets.ticks import Tick

from interview.errors import InterviewError

FORMATS = [("Printable page (HTML)", "html"), ("Plain text, to paste", "text"),
           ("Markdown", "md"), ("JSON (the data)", "json")]
PARTS = [("case-note", "Case note"), ("cws-cms", "CWS/CMS documentation"),
         ("mdt", "MDT handout")]


class ExportScreen(ModalScreen[Path | None]):
    HELP = """\
## Export the report

Choose the format and the documents, then where to save it; **ctrl+s** exports, **Escape**
goes back. Plain text is for pasting into a case management system; the HTML page prints
cleanly and opens offline. The MDT handout leaves out the youth's own words unless you tick
the box. An existing file is replaced only after you confirm.

The exported file is **not encrypted**: keep it where only you and the team can read it.
"""
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", priority=True, id="export_report"),
        Binding("escape", "dismiss(None)", "Cancel", id="cancel_export"),
    ]

    # The last choices, for the next export in this run of the app (never written to disk).
    remembered: dict = {}

    def __init__(self, library, session, saved=None):
        super().__init__()
        self.library, self.session, self.saved = library, session, saved

    def report(self, include_words: bool) -> dict:
        from interview.reports import export

        return export.from_session(
            self.library, self.session, include_words=include_words,
            session_id=self.saved.id if self.saved else None,
            store=self.saved.store if self.saved else None)

    def compose(self) -> ComposeResult:
        from interview.reports.export import default_name

        last = self.remembered
        fmt = last.get("format", "html")
        name = default_name(self.saved.id if self.saved else "interview",
                            self.session.record.context.today, fmt)
        with VerticalScroll(classes="dialog wide", id="export-form"):
            yield Static("Export the report", classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label("Format")
                yield Select(FORMATS, value=fmt, allow_blank=False, id="format", compact=True)
            for part, label in PARTS:
                yield Tick(label, part in last.get("parts", [part]), id=f"part-{part}",
                               compact=True)
            yield Tick("Quote the youth's own words in the MDT handout", False,
                           id="include-words", compact=True)
            with Horizontal(classes="row"):
                yield Label("Save as")
                yield Input(str(last.get("folder", Path.home()) / name), id="path", compact=True)
            yield Static("The file is not encrypted: keep it where only you and the team can "
                         "read it.", classes="hint")
            yield Static(id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-error").display = False
        self.query_one("#format").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep the file's suffix in step with the format."""
        from interview.reports.render import SUFFIX

        path_input = self.query_one("#path", Input)
        path = Path(path_input.value.strip() or "report")
        if path.suffix in SUFFIX.values():
            path_input.value = str(path.with_suffix(SUFFIX[str(event.value)]))

    def show_error(self, message: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(Text(message))
        error.display = True

    def action_export(self, overwrite: bool = False) -> None:
        from interview.app.screens.message import ConfirmScreen
        from interview.reports import export, render

        fmt = str(self.query_one("#format", Select).value)
        parts = [p for p, _ in PARTS if self.query_one(f"#part-{p}", Tick).value]
        raw_path = self.query_one("#path", Input).value.strip()
        if not parts:
            self.show_error("Tick at least one document to export.")
            return
        if not raw_path:
            self.show_error("Say where to save it: a file name, e.g. ~/report.html")
            return
        try:
            report = self.report(self.query_one("#include-words", Tick).value)
            text = render.render(report, fmt, parts, self.library.county.templates)
            path = export.write(Path(raw_path), text, overwrite=overwrite)
        except export.ReportExists:
            self.app.push_screen(ConfirmScreen(
                "Replace the file?", f"{raw_path} already exists. Replace it with this report?",
                yes="Replace", no="Keep it"),
                lambda yes: yes and self.action_export(overwrite=True))
            return
        except InterviewError as exc:
            self.show_error(str(exc))
            return
        if self.saved is not None:
            self.saved.store.audit.append("exported", self.saved.id,
                                          f"{fmt} {'+'.join(parts)} to a file")
        ExportScreen.remembered = {"format": fmt, "parts": parts, "folder": path.parent}
        self.dismiss(path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.dismiss(None)
