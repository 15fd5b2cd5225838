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

from interview.errors import InterviewError

COLUMNS = ("trainee", "scenario", "family", "score", "red_flags_caught", "red_flags_key",
           "red_flags_missed", "red_flags_wrongly_marked", "at_risk_correct",
           "disclosures_correct", "csec_type_correct", "technique_failed", "missed", "finished")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_LINE = 64 * 1024


def _os_message(exc: OSError, path: Path) -> str:
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.EROFS: "the disk is read-only", errno.ENOENT: "its folder does not exist",
               errno.EISDIR: "it is a folder, not a file", errno.ENOTDIR: "a part of the path is not a folder"}
    return f"{path}: {reasons.get(exc.errno, exc.strerror or str(exc))}"


def result_line(debrief) -> dict:
    """What is kept of one practice interview."""
    d = debrief.as_json()
    return {
        "trainee": debrief.trainee,
        "scenario": debrief.scenario.id,
        "family": debrief.scenario.family,
        "score": debrief.score,
        "red_flags": d["red_flags"],
        "at_risk_correct": debrief.parts["determination"] == 1.0 and not debrief.at_risk.missed
        and not debrief.at_risk.wrong,
        "disclosures_correct": debrief.parts["disclosures"] == 1.0,
        "csec_type_correct": debrief.parts["csec_type"] == 1.0,
        "technique": {t.id: t.status for t in debrief.technique},
        "missed": debrief.missed_summary(),
        "finished": debrief.finished,
    }


def append(path: Path, debrief) -> None:
    """Append one result; any failure (full disk, no permission, a folder) is one message."""
    import fcntl

    line = (json.dumps(result_line(debrief), ensure_ascii=False) + "\n").encode("utf-8")
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
            row = json.loads(line.decode("utf-8"))
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
        rf = row.get("red_flags") or {}
        technique = row.get("technique") or {}
        key_count = len(rf.get("caught", [])) + len(rf.get("missed", []))
        writer.writerow([safe_cell(v) for v in (
            row.get("trainee", ""), row.get("scenario", ""), row.get("family", ""),
            row.get("score", ""), len(rf.get("caught", [])), key_count,
            " ".join(rf.get("missed", [])), " ".join(rf.get("wrongly_marked", [])),
            _yes(row.get("at_risk_correct")), _yes(row.get("disclosures_correct")),
            _yes(row.get("csec_type_correct")),
            " ".join(k for k, v in technique.items() if v == "failed"),
            "; ".join(row.get("missed", [])), row.get("finished", ""))])
    return out.getvalue()


def _yes(value) -> str:
    return "yes" if value is True else "no" if value is False else ""


def to_json(rows: list[dict]) -> str:
    return json.dumps({"results": rows, "count": len(rows)}, ensure_ascii=False, indent=1)
