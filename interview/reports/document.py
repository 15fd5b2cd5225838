"""What a report says, as data: one dict per interview, which every template renders and which
`report --format json` prints as it is.

The findings come from `interview.rules` (the same `Findings.as_json` that `assess --json`
prints); this module only gathers them with what was recorded (answers, notes, observations,
overrides, next steps done) and when, in the order the interview took. Wording is the templates'.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from interview import __version__
from interview.content import model as m
from interview.engine.said import as_asked
from interview.record import Record, age_on, language_name
from interview.rules import allegations as allegation_rule
from interview.rules import csec_type as csec_rule
from interview.rules.evidence import describe

FORMAT_VERSION = 1
# The step whose ticks are the collateral contacts (flows/parts/collateral.yaml, 003).
COLLATERAL_STEP = "collateral_contacts"


def _label(vocab: m.Vocabulary, kind: str, ident: str | None) -> str | None:
    return vocab.label(kind, ident) if ident else None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _events(events: Iterable) -> list[dict]:
    return [e if isinstance(e, dict) else e.as_json() for e in events]


def build(library: m.Library, record: Record, findings, *, events: Iterable = (),
          session_id: str | None = None, source_file: str | None = None,
          finished: bool | None = None, grid_history: list[csec_rule.GridRow] = (),
          include_words: bool = False, generated: dt.datetime | None = None) -> dict:
    """The report of one interview.

    `events`: the session's events, for times and the order questions were asked (an answer
    file has none: flow order then). `grid_history`: the child's CSEC Data Grid rows from
    earlier interviews, so the CWS/CMS block can say which rows to end. `include_words`: the
    MDT handout quotes the youth's own words only when the worker chooses to.
    """
    flow, context = record.flow, record.context
    f = findings.as_json(library)
    events = _events(events)
    generated = generated or dt.datetime.now(dt.timezone.utc)
    day = context.interview_date or (dt.date.fromisoformat(events[0]["at"][:10])
                                     if events and events[0].get("at", "")[:1].isdigit()
                                     else generated.date())
    step_labels = {(s.id, c.id): c.label for s in flow.steps for c in s.cues}

    # --- the answers, in the order they were first given ---------------------------------------
    first_seen: dict[str, int] = {}
    last_kind: dict[str, str] = {}  # a step skipped last was not answered, whoever it was for
    for n, e in enumerate(events):
        if e["type"] in ("answer", "edit", "skip") and e.get("step"):
            first_seen.setdefault(e["step"], n)
            last_kind[e["step"]] = e["type"]
    script_section = flow.by_id[flow.gate].section if flow.gate else None
    # The checklist and the facts form have their own parts of the report, not an "answer".
    order = sorted((s for s in flow.steps
                    if s.id in record.answers and s.section != script_section
                    and s.kind not in ("observation", "facts")),
                   key=lambda s: (first_seen.get(s.id, len(events)), s.index))
    answers = []
    for step in order:
        a = record.answers[step.id]
        answers.append({
            "step": step.id, "section": flow.section_by_id[step.section].title,
            "kind": step.kind, "audience": step.audience,
            "question": library.step_text(step).strip(),
            "answer": "read" if step.kind == "script" else (a.value or None),
            "notes": a.text, "ticked": [step_labels[(step.id, c)] for c in a.cues
                                        if (step.id, c) in step_labels],
            **({"skipped": True} if last_kind.get(step.id) == "skip" else {}),
            **asked(library, step, record)})

    # --- the confidentiality script ------------------------------------------------------------
    script = None
    if flow.gate:
        reads = [e for e in events if e["type"] in ("answer", "edit") and e.get("step") == flow.gate]
        in_script = [s for s in flow.steps if s.section == script_section]
        understood = next((s for s in in_script if s.kind == "closed"), None)  # said back
        questions = next((s for s in in_script if s.kind == "open"), None)     # their questions
        answer = record.answers.get(flow.gate)
        script = {
            "read": bool(answer and answer.value == "yes"),
            "read_at": reads[0]["at"] if reads else None,
            "times_read": max(len(reads), 1 if answer else 0),
            "understood": getattr(record.answers.get(understood.id), "value", None)
            if understood else None,
            "questions": getattr(record.answers.get(questions.id), "text", "") if questions else "",
            "draft": library.scripts[flow.by_id[flow.gate].script].draft
            if flow.by_id[flow.gate].script in library.scripts else False,
            **asked(library, flow.by_id[flow.gate], record),
        }

    view = findings_view(library, record, f, events)
    next_steps = view["next_steps"]
    proposed = {s["id"] for s in next_steps}
    done = record.next_steps_done
    next_steps += [{**library.next_step_json(sid), "reason": "Marked done; no longer proposed "
                    "by the findings.", "status": "done", "done_at": mark.at, "note": mark.note}
                   for sid, mark in done.items() if sid not in proposed]

    # --- CWS/CMS: allegations (on suspicion: an allegation is what is alleged) and the grid ----
    vocab = library.vocabulary  # every label below is the catalog's (vocabulary.yaml)
    forms_named = vocab.labels("forms").items()
    suspected = f.get("suspected") or {k: f["disclosures"][k] for k, _ in forms_named}
    forms = {k: bool(suspected.get(k)) for k, _ in forms_named}
    history = sorted(grid_history, key=lambda r: r.start)
    changes = csec_rule.plan_grid(history, findings.csec_type)
    grid = csec_rule.apply_changes(history, changes)
    today = dt.date.today()
    cws = {
        "allegations": [a.as_json() for a in allegation_rule.allegations(forms, context)],
        "separate_allegations": sum(forms.values()) >= 2,
        # The subcategories that cannot be saved without a CSEC Data Grid row (001).
        "grid_required_by": [t.label for t in vocab.abuse_subcategories.values()
                             if t.form == "sex_trafficking"],
        "grid": {"existing": [r.as_json() for r in history],
                 "changes": [c.as_json() for c in changes],
                 "after": [r.as_json() for r in grid],
                 "problems": csec_rule.grid_problems(grid, context.date_of_birth, today)},
    }

    return {
        "format_version": FORMAT_VERSION,
        "generated": generated.isoformat(timespec="seconds"),
        "tool": f"csec-interview {__version__}",
        "county": library.county.name,
        "county_id": library.county.id,
        "interview": {
            "session": session_id, "file": source_file,
            "flow": flow.id, "flow_title": flow.title, "setting": flow.setting,
            "interviewed": flow.interviewed, "interviewee": context.interviewee,
            "interviewer": context.interviewer, "date": day.isoformat(),
            "started": events[0]["at"] if events else None,
            "last_change": events[-1]["at"] if events else None,
            "finished": finished,
            # the languages other than English questions were asked in, with how many each
            # (only where there is one: the report of an English interview keeps its shape)
            **({"languages": languages} if (languages := _languages(record)) else {}),
        },
        "case": {
            "case_id": context.case_id, "date_of_birth": _iso(context.date_of_birth),
            "age": age_on(context.date_of_birth, day) if context.date_of_birth else context.age,
            "case_status": _label(vocab, "case_statuses", context.case_status),
            # as recorded; else what an open case says, and that it comes from the status
            "receiving_child_welfare_services": context.child_welfare_services,
            "child_welfare_services_from_status": context.receiving_child_welfare_services
            is None and context.child_welfare_services is not None,
            "missing": context.missing, "foreign_national": context.foreign_national,
            "immediate_safety_concern": context.immediate_safety_concern,
            "absence": {"left": _iso(context.absence.left),
                        "returned": _iso(context.absence.returned)} if context.absence else None,
            "caregiver_failed_to_protect": context.caregiver_failed_to_protect,
            "exploited_during": _label(vocab, "exploited_during", context.exploited_during),
            "exploited_from": _iso(context.exploited_from),
            # a yes/no fact a question asks (the hotline's safety concern), answered neither yes
            # nor no: "unsure" is not "not recorded" (every yes/no fact has a key, "" if none)
            "fact_answers": _fact_answers(flow, record, last_kind),
        },
        "confidentiality": script,
        "answers": answers,
        "observations": [{"row": library.red_flags[rf].row, "label": library.red_flags[rf].label,
                          "note": note} for rf, note in sorted(
                              record.observations.items(),
                              key=lambda kv: library.red_flags[kv[0]].row)],
        "terms": [{"name": k, "word": v} for k, v in record.terms.items()],
        "red_flags": view["red_flags"],
        "at_risk": view["at_risk"],
        "disclosures": view["disclosures"],
        "disclosure_notes": view["disclosure_notes"],
        "risk_factors": view["risk_factors"],
        "screening": view["screening"],
        "collateral_contacts": collateral(flow, record),
        "standing": view["standing"],
        "suspected": view["suspected"],
        "jurisdiction": view["jurisdiction"],
        "csec_type": view["csec_type"],
        "cws_cms": cws,
        "overrides": view["overrides"],
        "next_steps": next_steps,
        "response": view["response"],
        "mdt": {"include_words": include_words},
        # only where there is one, so the report of any other interview keeps its shape
        **({"reported": view["reported"]} if view["reported"] else {}),
        **({"reviews": view["reviews"]} if view["reviews"] else {}),
    }



def _fact_answers(flow: m.Flow, record: Record, last_kind: dict[str, str]) -> dict[str, str]:
    """What a question recording a yes/no fact was answered, when it was neither yes nor no
    ("unsure", "declined", or "skipped" when the worker skipped it)."""
    out = dict.fromkeys(m.YES_NO_FACTS, "")
    for step in flow.fact_steps:
        answer = record.answers.get(step.id)
        if step.kind == "closed" and step.fact in out and answer is not None \
                and answer.value not in ("yes", "no"):
            out[step.fact] = "skipped" if last_kind.get(step.id) == "skip" else answer.value
    return out


def _languages(record: Record) -> list[dict]:
    counts: dict[str, int] = {}
    for step_id, language in record.asked_in.items():
        if language != "en" and step_id in record.answers:
            counts[language] = counts.get(language, 0) + 1
    return [{"language": lang, "language_name": language_name(lang), "questions": n}
            for lang, n in sorted(counts.items())]


def asked(library: m.Library, step: m.Step, record: Record) -> dict:
    """For a step asked in another language than English: which (`language`, `language_name`)
    and what was said (`said`: the translation; null with `interpreted` when the worker had to
    interpret the English). Nothing for English, so a report of an English interview is what it
    always was. The report stays English: this is the transcript's second language beside it."""
    text = as_asked(library, step, record)
    language = text.language
    if language == "en":
        return {}
    return {"language": language, "language_name": language_name(language),
            "said": text.text.strip() if text.translated else None,
            "interpreted": bool(text.interpret), "translation_draft": text.draft}


def findings_view(library: m.Library, record: Record, f: dict, events: Iterable = ()) -> dict:
    """The findings arranged for reading: the one model every renderer of findings uses (the
    report's findings part, the `assess` summary, the app's summary).

    `f` is `Findings.as_json` (what `assess --json` prints); here each finding gets its words
    (labels, titles, the evidence described in a sentence), the youth's own words behind a
    disclosure, the worker's overrides with when they were made (from `events`) and whether
    each proposed next step is done. Wording beyond the catalogs' labels is the templates'.
    """
    flow = record.flow
    events = _events(events)

    def lines(evidence: list[dict]) -> list[str]:
        return [describe(e, flow.setting) for e in evidence]

    vocab = library.vocabulary  # every label below is the catalog's (vocabulary.yaml)
    forms_named = vocab.labels("forms").items()
    red_flags = {
        "columns": [{"column": col, "title": title, "letter": vocab.columns[col].letter,
                     "rows": [rf["row"] for rf in f["red_flags"] if col in rf["columns"]],
                     "labels": [rf["label"] for rf in f["red_flags"] if col in rf["columns"]]}
                    for col, title in vocab.labels("columns").items()],
        "flags": [{"row": rf["row"], "label": rf["label"], "columns": rf["columns"],
                   "evidence": lines(rf["evidence"])} for rf in f["red_flags"]]}
    ar = f["at_risk"]
    at_risk = {"met": ar["met"], "branch": ar["branch"], "explanation": ar["explanation"],
               "determination": ar["determination"], "confirmed": ar["confirmed"],
               "indicators": [{"letter": x, "label": library.at_risk[x].label,
                               "confirmed": x in ar["confirmed"],
                               "evidence": lines(ar["evidence"].get(x, []))}
                              for x in ar["indicators"]],
               "ask_more": [{**a, "labels": [library.red_flags[rf].label for rf in a["red_flags"]]}
                            for a in ar["ask_more"]]}
    disclosures = []
    for kind, title in forms_named:
        evidence = f["disclosures"]["evidence"].get(kind, [])
        words, seen = [], set()
        for e in evidence:  # the youth's own words: the notes of the answers behind it
            step = e.get("step")
            text = record.answers[step].text if step in record.answers else ""
            if text and step not in seen:
                seen.add(step)
                words.append({"question": e.get("question", ""), "text": text})
        disclosures.append({"form": kind, "title": title, "disclosed": f["disclosures"][kind],
                            "evidence": lines(evidence), "words": words})

    suspected = f.get("suspected") or {k: f["disclosures"][k] for k, _ in forms_named}
    suspicion = [{"form": kind, "title": title, "suspected": bool(suspected.get(kind)),
                  "evidence": lines(suspected.get("evidence", {}).get(kind, []))}
                 for kind, title in forms_named]

    override_at = {}
    for e in events:
        if e["type"] == "override" and isinstance(e.get("value"), dict):
            override_at[e["value"].get("finding")] = e.get("at")
    overrides = [{**o, "label": finding_label(library, o["finding"], flow.setting),
                  "at": override_at.get(o["finding"])} for o in f["overrides"]]
    done = record.next_steps_done
    next_steps = [{**s, "status": "done" if s["id"] in done else "open",
                   "done_at": done[s["id"]].at if s["id"] in done else None,
                   "note": done[s["id"]].note if s["id"] in done else ""}
                  for s in f["next_steps"]]
    response = f.get("response")
    if response:  # the speed of the response, and whether its next step is done
        step = next((s for s in next_steps if s["id"] == response.get("next_step")), None)
        response = {**response, "status": step["status"] if step else None}
    return {
        "red_flags": red_flags,
        "at_risk": at_risk,
        "disclosures": disclosures,
        "disclosure_notes": f["disclosures"]["notes"],
        "risk_factors": [r["label"] for r in f["risk_factors"]],
        "screening": f["screening"],
        "standing": f["standing"],
        "suspected": suspicion,
        "jurisdiction": f.get("jurisdiction"),
        "csec_type": f["csec_type"],
        "overrides": overrides,
        "next_steps": next_steps,
        "response": response,
        "setting": flow.setting,
        "reported": f.get("reported"),
        "reviews": _reviews(library, record, f),
    }


def _reviews(library: m.Library, record: Record, f: dict) -> list[dict]:
    """The supervisors' reviews of the interview, each as templates/review.j2 shows it."""
    if not record.reviews:
        return []
    from interview.review import reviews_view

    return reviews_view(record.reviews, f, library)

def collateral(flow: m.Flow, record: Record) -> dict | None:
    """The collateral contacts the worker ticked, with their notes; None when the flow has none."""
    step = flow.by_id.get(COLLATERAL_STEP)
    if step is None:
        return None
    answer = record.answers.get(step.id)
    ticked = [c.label for c in step.cues if answer and c.id in answer.cues]
    return {"contacts": ticked, "notes": answer.text if answer else ""}


def finding_label(library: m.Library, finding: str, setting: str = "interview") -> str:
    """A finding the worker confirms or rejects, named. At the hotline a form is what the
    caller reported, never the child's disclosure (templates/disclosures.j2)."""
    kind, _, ident = finding.partition(":")
    if kind == "red_flag" and ident in library.red_flags:
        return f"Red flag {library.red_flags[ident].row}: {library.red_flags[ident].label}"
    if kind == "at_risk" and ident in library.at_risk:
        return f"At-Risk indicator {ident}: {library.at_risk[ident].label}"
    if kind == "disclosure":
        return ("Caller's report: " if setting == "hotline" else "Disclosure: ") + \
            library.vocabulary.labels("forms").get(ident, ident).lower()
    if kind == "suspected":
        return "Suspected: " + library.vocabulary.labels("forms").get(ident, ident).lower()
    return finding


def grid_history(library: m.Library, store, case_id: str | None, before: dt.date,
                 exclude: str | None = None) -> list[csec_rule.GridRow]:
    """The child's CSEC Data Grid as earlier interviews saved here left it: each interview of
    the same case id, up to `before`, planned in date order. Unreadable ones are left out."""
    if not case_id:
        return []
    from interview.errors import InterviewError
    from interview.rules import evaluate
    from interview.storage.saved import replay_records

    proposals = []
    for session_id, _, record in replay_records(library, store, []):
        if session_id == exclude or record.context.case_id != case_id:
            continue
        if record.context.today > before:
            continue
        try:
            found = evaluate(library, record).csec_type
        except InterviewError:
            continue
        if found:
            proposals.append((record.context.today, session_id, found))
    rows: list[csec_rule.GridRow] = []
    for day, session_id, found in sorted(proposals, key=lambda p: (p[0], p[1])):
        origin = f"interview {session_id} of {day}"
        rows = csec_rule.apply_changes(rows, csec_rule.plan_grid(rows, found, origin))
    return rows
