"""Class results: one JSON line per finished practice interview, in a file the trainer chooses.

Only the trainee's name (as entered), the scenario, the score and what was missed are kept:
never the interview itself, and never anything in the encrypted store. Several trainees may
finish at once (a class in browsers: one process each), so a line is appended with one write
under an exclusive lock and fsynced. Exports: JSON (as entered) and CSV (a cell that a
spreadsheet would run as a formula is neutralised).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from pathlib import Path

from interview import jsonin
from interview.content.vocabulary import labels
from interview.errors import InterviewError

COLUMNS = ("trainee", "scenario", "family", "score", "difficulty", "coverage",
           "questions_not_asked", "at_risk_correct", "disclosures_correct", "response",
           "response_key", "csec_type_correct", "next_steps_missed", "deadlines_wrong",
           "red_flags_missed", "recording", "technique_failed", "labels_used", "missed",
           "finished", "marked")
MARK = "PRACTICE / FICTIONAL"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _os_message(exc: OSError, path: Path) -> str:
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.EROFS: "the disk is read-only", errno.ENOENT: "its folder does not exist",
               errno.EISDIR: "it is a folder, not a file", errno.ENOTDIR: "a part of the path is not a folder"}
    return f"{path}: {reasons.get(exc.errno, exc.strerror or str(exc))}"


def result_line(debrief, text: str = "") -> dict:
    """What is kept of one practice interview: the scores, what was missed, and the debrief's
    text (PRACTICE / FICTIONAL; the trainer prints it with `practice export --debriefs`)."""
    d = debrief.as_json()
    return {
        "trainee": debrief.trainee,
        "scenario": debrief.scenario.id,
        "scenario_title": debrief.scenario.title,
        "family": debrief.scenario.family,
        "difficulty": debrief.scenario.difficulty,
        "score": debrief.score,
        "coverage": d["coverage"]["share"],
        "questions_not_asked": d["coverage"]["not_asked"],
        "parts": d["parts"],
        "yours": d["yours"],
        "key": d["key"],
        "at_risk_correct": debrief.right("at_risk"),
        "disclosures_correct": debrief.right("disclosures"),
        "csec_type_correct": debrief.right("csec_type"),
        "next_steps": d["next_steps"],
        "deadlines_wrong": sorted(s for s, (mine, key) in debrief.deadlines.items() if mine != key),
        "red_flags_missed": sorted(set(debrief.key.red_flags) - set(debrief.feedback["red_flags"])),
        "technique": {t.id: t.status for t in debrief.technique},
        "labels_used": sorted({w.lower() for x in debrief.labelled for w in x.labels}),
        "missed": debrief.missed_summary(),
        "finished": debrief.finished,
        "debrief": text,
    }


def append(path: Path, debrief, text: str = "") -> None:
    """Append one result; any failure (full disk, no permission, a folder) is one message."""
    import fcntl

    line = (json.dumps(result_line(debrief, text), ensure_ascii=False) + "\n").encode("utf-8")
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise InterviewError(f"cannot keep the class result in {_os_message(exc, path)}; "
                             "choose another results file") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(errno.ENOSPC, "short write")
        os.fsync(fd)
    except OSError as exc:
        raise InterviewError(f"cannot keep the class result in {_os_message(exc, path)}; the "
                             "debrief is still shown") from None
    finally:
        os.close(fd)


def read(path: Path) -> tuple[list[dict], list[str]]:
    """The results in a class file, and a message for each line that cannot be read."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(256 * 1024 * 1024)
    except OSError as exc:
        raise InterviewError(f"cannot read the class results: {_os_message(exc, path)}") from None
    rows, skipped = [], []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = jsonin.loads(line.decode("utf-8"))
            if not isinstance(row, dict) or "scenario" not in row or "score" not in row:
                raise ValueError("not a result")
        except (ValueError, UnicodeDecodeError):
            skipped.append(f"{path}:{n}: not a practice result; skipped")
            continue
        rows.append(row)
    return rows, skipped


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: one starting with = + - @ gets a leading '; no
    control character (a lone CR would start a new row: the writer quotes only CR LF and LF)."""
    from interview.text import plain

    text = plain("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        technique = row.get("technique") or {}
        key = row.get("key") or {}
        yours = row.get("yours") or {}
        writer.writerow([safe_cell(v) for v in (
            row.get("trainee", ""), row.get("scenario", ""), row.get("family", ""),
            row.get("score", ""), row.get("difficulty", ""), row.get("coverage", ""),
            " ".join(_strings(row.get("questions_not_asked"))),
            _yes(row.get("at_risk_correct")), _yes(row.get("disclosures_correct")),
            yours.get("response") or "", key.get("response") or "",
            _yes(row.get("csec_type_correct")),
            " ".join(_strings((row.get("next_steps") or {}).get("missed"))),
            " ".join(_strings(row.get("deadlines_wrong"))),
            " ".join(_strings(row.get("red_flags_missed"))),
            (row.get("parts") or {}).get("recording", ""),
            " ".join(k for k, v in technique.items() if v == "failed"),
            " ".join(_strings(row.get("labels_used"))),
            "; ".join(_strings(row.get("missed"))), row.get("finished", ""), MARK)])
    return out.getvalue()


def _strings(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _yes(value) -> str:
    return "yes" if value is True else "no" if value is False else ""


def to_json(rows: list[dict], summary: dict | None = None) -> str:
    out = {"marked": MARK, "results": rows, "count": len(rows)}
    if summary is not None:
        out["summary"] = summary
    return json.dumps(out, ensure_ascii=False, indent=1)


# --- the trainer's view of the class (issue 14, item 7) ----------------------------------------

def summary(rows: list[dict], library=None, top: int = 8) -> dict:
    """What the class missed most, and how each scenario went: by label, not id, where the
    library knows the label (a result from another version keeps its id)."""
    from collections import Counter
    import statistics

    def label(kind: str, ident: str) -> str:
        if library is None:
            return ident
        if kind == "red_flag" and ident in library.red_flags:
            return f"#{library.red_flags[ident].row} {library.red_flags[ident].label}"
        if kind == "next_step" and ident in library.next_steps:
            return library.next_steps[ident].title
        if kind == "question":
            for flow in library.flows.values():
                if ident in flow.by_id:
                    return library.step_text(flow.by_id[ident]).split("\n")[0]
        return ident

    def most(kind: str, field: str, sub: str | None = None) -> list[dict]:
        count: Counter[str] = Counter()
        for row in rows:
            value = row.get(field) or ({} if sub else [])
            count.update(set(_strings(value.get(sub) if sub else value)))
        def order(ident: str):   # red flags by their row in the chart, the rest by label
            flags = library.red_flags if library is not None else {}
            return (flags[ident].row, "") if kind == "red_flag" and ident in flags else (
                0, label(kind, ident))

        ranked = sorted(count.items(), key=lambda kv: (-kv[1], order(kv[0])))
        return [{"id": k, "label": label(kind, k), "trainees": n} for k, n in ranked[:top]]

    scenarios = {}
    for row in rows:
        sid = str(row.get("scenario", ""))
        s = scenarios.setdefault(sid, {"scenario": sid, "title": str(row.get("scenario_title")
                                                                       or sid),
                                       "scores": [], "responses": Counter(), "key_response": ""})
        if isinstance(row.get("score"), (int, float)) and not isinstance(row.get("score"), bool):
            s["scores"].append(row["score"])
        s["responses"][str((row.get("yours") or {}).get("response") or "not stated")] += 1
        s["key_response"] = str((row.get("key") or {}).get("response") or "")
    tiers = {**labels("response_tiers", "short"), "not stated": "not stated"}
    per_scenario = []
    for s in scenarios.values():
        scores = s["scores"]
        per_scenario.append({
            "scenario": s["scenario"], "title": s["title"], "trainees": len(scores),
            "mean": round(statistics.fmean(scores), 1) if scores else None,
            "spread": round(statistics.pstdev(scores), 1) if len(scores) > 1 else 0.0,
            "lowest": min(scores) if scores else None, "highest": max(scores) if scores else None,
            "responses_chosen": {tiers.get(k, k): n for k, n in s["responses"].items()},
            "response_key": tiers.get(s["key_response"], s["key_response"])})
    return {"trainees": len({str(r.get("trainee", "")) for r in rows}), "results": len(rows),
            "red_flags_missed_most": most("red_flag", "red_flags_missed"),
            "next_steps_missed_most": most("next_step", "next_steps", "missed"),
            "questions_not_asked_most": most("question", "questions_not_asked"),
            "per_scenario": sorted(per_scenario, key=lambda x: x["title"]),
            "labels_used": sum(bool(r.get("labels_used")) for r in rows)}




def summary_text(s: dict) -> str:
    """The class summary, readable (`practice export RESULTS --summary`)."""
    from interview.text import plain

    lines = [f"{MARK}: class summary, {_n(s['results'], 'result')} from "
             f"{_n(s['trainees'], 'trainee')}", ""]
    lines.append("Per scenario (mean, spread, lowest-highest; response tiers chosen):")
    for sc in s["per_scenario"]:
        mean = "-" if sc["mean"] is None else f"{sc['mean']:g}"
        lines.append(f"  {plain(sc['title'])}: {_n(sc['trainees'], 'trainee')}, mean {mean}, "
                     f"spread {sc['spread']:g}, {sc['lowest']}-{sc['highest']}")
        chosen = ", ".join(f"{plain(k)} {n}" for k, n in sc["responses_chosen"].items())
        lines.append(f"    responses: {chosen} (key: {plain(sc['response_key'])})")
    for title, key in (("Red flags the class missed most", "red_flags_missed_most"),
                       ("Next steps the class missed most", "next_steps_missed_most"),
                       ("Key questions left unasked most", "questions_not_asked_most")):
        lines.append("")
        lines.append(f"{title}:")
        for item in s[key] or [{"label": "none", "trainees": 0}]:
            lines.append(f"  {item['trainees']:>3}  {plain(item['label'])}")
    lines.append("")
    lines.append(f"Results with a labelling word typed: {s['labels_used']}")
    return "\n".join(lines) + "\n"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def debriefs_text(rows: list[dict]) -> str:
    """Every kept debrief, one after the other (`practice export RESULTS --debriefs`)."""
    from interview.text import plain

    out = []
    for row in rows:
        text = row.get("debrief")
        if isinstance(text, str) and text.strip():
            head = (f"{MARK}: {plain(str(row.get('trainee', '')))}, "
                    f"{plain(str(row.get('scenario_title') or row.get('scenario', '')))}, "
                    f"{plain(str(row.get('finished', '')))}")
            out.append(head + "\n" + "\n".join(plain(line) for line in text.splitlines()))
    if not out:
        return "No debrief is kept in these results.\n"
    return ("\n\n" + "=" * 78 + "\n\n").join(out) + "\n"
