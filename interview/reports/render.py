"""Every rendering of findings: the reports (the dict of `document.build`) as plain text,
Markdown, HTML or JSON, and the `assess` summary, the practice debrief and the app's summary
(`render_text`), all through one Jinja2 environment per output format (`environment`).

The documents (case note, CWS/CMS block, MDT handout) are written once, in
`templates/reports/*.j2`, against a small set of layout macros; each output format supplies
those macros (`templates/reports/formats/{text,md,html}.j2`) and escapes every value for itself:
HTML with autoescape, Markdown by escaping its syntax, plain text by removing terminal control
characters and bidirectional overrides (which would reorder what the reader sees). A county
replaces any of these files without code (`templates:` in its county file); every template runs
in Jinja2's immutable sandbox, so a county's file can format values but not reach Python.
The words every renderer shares (how an At-Risk indicator is named, an evidence line) are the
macros of `templates/findings.j2`, so a county's copy of it changes all of them alike.

The app's summary is the `app` format: autoescaped like HTML, with `<s style="...">` tags for
its styles, so that the app turns it into styled text without interpreting anything typed
(`interview.app.screens.summary`); a typed `[bold]` or `<b>` stays text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path

from interview.errors import InterviewError
from interview.text import plain

FORMATS = ("text", "md", "html", "json")
# The formats of the environment: the reports' (but JSON) and the app's styled text.
ENVIRONMENTS = ("text", "md", "html", "app")
PARTS = ("case-note", "cws-cms", "mdt")
SUFFIX = {"text": ".txt", "md": ".md", "html": ".html", "json": ".json"}

_MD_SPECIAL = re.compile(r"([\\`*_\[#|~!])")
# Embeddings, overrides and isolates: invisible, and they reorder the text after them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# In JSON they (and C1 controls) stay in the data, written as escapes.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

_MD_BLOCK_START = re.compile(r"^(\s*|\s*\d+)([>+\-.)](?=\s|$))")


def clean(value) -> str:
    """Typed text as a reader should see it: no control characters, escape sequences or
    bidirectional overrides."""
    return _BIDI.sub("", plain("" if value is None else str(value)))


def md_escape(value) -> str:
    """Typed text shown literally in Markdown: no emphasis, links, headings, tables or HTML."""
    text = clean(value)
    text = " ".join(text.splitlines())  # a newline would end the list item or start a block
    text = text.replace("&", "&amp;").replace("<", "&lt;")  # no HTML, no entities
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # What would start a block at the start of a line: a quote, a list item, an ordered list.
    return _MD_BLOCK_START.sub(r"\1\\\2", text, count=1)


def when(value) -> str:
    """An ISO timestamp (stored in UTC) as the reader wants it: local time with its zone,
    2025-09-03 07:05 PDT (the zone of the machine the report is made on, `TZ` to choose)."""
    if not value:
        return ""
    try:
        stamp = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if stamp.tzinfo is not None:
        return stamp.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return stamp.strftime("%Y-%m-%d %H:%M")


def column_code(column: str) -> str:
    from interview.content.vocabulary import labels

    return labels("columns", "letter").get(column, column)


def _finalize(value):
    """Every value printed in text or HTML: no control characters (HTML escaping follows)."""
    from markupsafe import Markup

    if value is None:
        return ""
    if isinstance(value, Markup):  # a macro's output, already escaped
        return value
    return clean(value)


@lru_cache(maxsize=16)
def environment(fmt: str, county_templates: Path | None):
    """The one Jinja2 environment of a format: sandboxed, strict, the county's template folder
    searched before the shipped `templates/`; every value printed is cleaned of control
    characters (text, app, HTML) and escaped for its format (HTML and app: autoescape;
    Markdown: the `md` filter)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from interview.paths import templates_dir

    loaders = [_county_loader(county_templates)] if county_templates else []
    loaders.append(FileSystemLoader(str(templates_dir())))
    env = ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders), undefined=StrictUndefined,
                      autoescape=fmt in ("html", "app"), trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, finalize=_finalize if fmt != "md" else None)
    env.filters["md"] = md_escape
    env.filters["when"] = when
    env.filters["column_code"] = column_code
    env.filters["pct"] = lambda value: f"{round(100 * value)}%"
    return env


def _county_loader(folder: Path):
    """Jinja2's loader of a county's template folder, refusing a template that is not inside it:
    its FileSystemLoader refuses `..` in a name but follows links, so a link in the folder (or
    a linked folder) would put any file the worker can read into a report (audit finding 9)."""
    from jinja2 import FileSystemLoader
    from jinja2.loaders import split_template_path

    class CountyLoader(FileSystemLoader):
        def get_source(self, environment, template):
            # Checked before anything is read (a link to a FIFO would never end).
            root = Path(folder).resolve()
            found = Path(folder, *split_template_path(template))
            if (found.exists() or found.is_symlink()) and \
                    not found.resolve().is_relative_to(root):
                raise InterviewError(
                    f"{plain(str(found))}: this county template leads outside the county's "
                    f"templates folder {plain(str(root))}; a county's templates may only use "
                    "files inside their folder: copy the file there instead of linking to it")
            return super().get_source(environment, template)

    return CountyLoader(str(folder))


def _unusable(exc, what: str) -> InterviewError:
    """A template error as one message naming the file and line, and how to fix it."""
    import traceback

    where = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not where:  # an error while rendering (the sandbox refusing): Jinja2's frames say where
        frames = [(f.f_code.co_filename, n) for f, n in traceback.walk_tb(exc.__traceback__)
                  if f.f_code.co_name == "template" or f.f_code.co_name.endswith("template code")
                  or f.f_code.co_name.startswith("block ")]
        where, line = frames[-1] if frames else ("a template", None)
    message = str(exc.message or exc)
    if "TemplateModule object' has no attribute" in message:  # a county's partial lacks a macro
        message += (" (a county's copy of a shared file, such as findings.j2, replaces all of "
                    "it: copy the shipped file whole and change what you need)")
    return InterviewError(f"{where}{':' + str(line) if line else ''}: {what} cannot be used: "
                          f"{message}; fix the template (or remove the county's copy to use the "
                          "shipped one)")


def render_text(name: str, county_templates: Path | None = None, fmt: str = "text",
                **values) -> str:
    """A text made from one template of `templates/` (the `assess` summary, the practice
    debrief, the app's summary), in the environment of `fmt`, without a final newline."""
    from jinja2 import TemplateError

    try:
        text = environment(fmt, county_templates).get_template(name).render(**values)
    except TemplateError as exc:
        raise _unusable(exc, "the template") from None
    return text.removesuffix("\n")


def render(report: dict, fmt: str, parts=PARTS, county_templates: Path | None = None) -> str:
    """The report in one format; `parts` chooses which documents, in their usual order."""
    if fmt not in FORMATS:
        raise InterviewError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise InterviewError(f"part {unknown[0]!r}: use one of {', '.join(PARTS)}")
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=1)
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
    from jinja2 import TemplateError

    env = environment(fmt, county_templates)
    try:
        macros = env.get_template(f"reports/formats/{fmt}.j2").module
        text = env.get_template("reports/report.j2").render(
            r=report, fmt=macros, parts=[p for p in PARTS if p in parts])
    except TemplateError as exc:
        raise _unusable(exc, "the report template") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def county_template_problems(library, cases) -> list:
    """A county's templates, checked before a worker meets them (`validate`): each file of its
    folder compiles, and every report part in every format, the `assess` summary and the app's
    summary render from each answer file in `cases` (the shipped examples). A syntax error or
    an unknown name was found only at the summary in the middle of an interview, or at the
    export (the errors audit's B6)."""
    from jinja2 import TemplateError

    from interview.engine.case import load_case
    from interview.errors import Problem
    from interview.reports import document
    from interview.rules import evaluate

    folder = library.county.templates
    if not folder:
        return []
    problems = []
    env = environment("text", folder)
    def problem(exc: InterviewError, found_in: str = "") -> Problem:
        where, _, message = str(exc).partition(": ")  # "FILE:LINE: ..." says where already
        return Problem(where, None, message + found_in)

    for path in sorted(Path(folder).rglob("*.j2")):
        try:
            env.get_template(path.relative_to(folder).as_posix())
        except TemplateError as exc:
            problems.append(problem(_unusable(exc, "the template")))
        except InterviewError as exc:
            problems.append(problem(exc))
    if problems:  # rendering would only say the same again
        return problems
    seen = set()
    for case in cases:
        record = load_case(library, case)
        findings = evaluate(library, record)
        report = document.build(library, record, findings, source_file=str(case))
        views = [(fmt, lambda fmt=fmt: render(report, fmt, county_templates=folder))
                 for fmt in ("text", "md", "html")]
        f = document.findings_view(library, record, findings.as_json(library))
        views += [("assess", lambda: render_text("assess-summary.txt.j2", folder, path=str(case),
                                                 flow_title=record.flow.title, f=f)),
                  ("app", lambda: render_text("app-summary.j2", folder, fmt="app", f=f))]
        for what, make in views:
            try:
                make()
            except InterviewError as exc:
                if str(exc) not in seen:  # one template's mistake, said once
                    seen.add(str(exc))
                    problems.append(problem(exc, f" (found rendering {case.name}, {what})"))
    return problems


def assess_summary(library, path, record, findings: dict) -> str:
    """The readable `assess` summary of one answer set or saved interview (`findings`: what
    `assess --json` prints), from templates/assess-summary.txt.j2."""
    from interview.reports.document import findings_view

    return render_text("assess-summary.txt.j2", library.county.templates, path=str(path),
                       flow_title=record.flow.title, f=findings_view(library, record, findings))
