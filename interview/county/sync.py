"""A laptop's sync to the county database: every local interview's events as they are stored
(padded, sealed), its data key wrapped to the county key, and its county summary.

Idempotent and resumable: the server is asked once how far each interview got (the highest
seq, and how many it holds: an event missing in the middle is sent again too), the rest is sent in batches of whole transactions (the interview row, its events in
order, its summary with its last events), each inserted ON CONFLICT DO NOTHING. A sync killed at
any point leaves every committed batch whole and nothing of the others, so running it again
sends exactly what is missing: every event once, none lost. Two syncs at once (two windows,
two workers) only ever both try to insert the same row, and one of them is kept.

The county key is pinned on the first sync (STORE/county.json: its id and fingerprint; and a
`county_key_pinned` line of the store's audit trail, whose head is in the sealed state); a
different key offered later is refused until the worker accepts its fingerprint. The trail's
line is the pin: deleting or editing county.json changes nothing, and a store whose trail says
it has synced (or that does not verify) but that remembers no key refuses every key until one
is accepted, as does a store that never synced while the county already holds interviews of
its worker (a store put back from before its first sync, or a second computer).

CSEC_INTERVIEW_SYNC_FAULT=before-commit:N or after-commit:N kills the process (SIGKILL) in the
Nth batch, before or after its commit: the tests' crash points.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from interview import jsonin
from interview.county import keys, schema
from interview.county.db import CountyError
from interview.storage.errors import StorageError

PIN_FILE = "county.json"
FAULT_ENV = "CSEC_INTERVIEW_SYNC_FAULT"


@dataclass
class SyncReport:
    sessions: int = 0          # interviews with anything sent
    new_sessions: int = 0      # of which new to the county database
    events: int = 0
    bytes: int = 0
    summaries: int = 0
    up_to_date: int = 0
    skipped: list[str] = field(default_factory=list)
    # interviews on the server without a current county summary: "<id>: <why>" each
    unsummarised: list[str] = field(default_factory=list)
    county_key: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"sessions": self.sessions, "new_sessions": self.new_sessions,
                "events": self.events, "bytes": self.bytes, "summaries": self.summaries,
                "up_to_date": self.up_to_date, "skipped": list(self.skipped),
                "unsummarised": list(self.unsummarised), "county_key": self.county_key}

    def words(self, where: str) -> str:
        from interview.text import plain

        if not self.sessions:
            one = self.up_to_date == 1
            text = (f"Nothing to send to {where}: the {self.up_to_date} interview"
                    f"{'' if one else 's'} from this computer {'is' if one else 'are'} up to "
                    "date there.")
        else:
            text = (f"Sent to {where}: {self.events} event{'s' * (self.events != 1)} "
                    f"({self.bytes:,} bytes, sealed) of {self.sessions} interview"
                    f"{'s' * (self.sessions != 1)} ({self.new_sessions} new), "
                    f"{self.summaries} county summar{'ies' if self.summaries != 1 else 'y'}; "
                    f"{self.up_to_date} already up to date.")
        if self.county_key.get("pinned_now"):
            text += ("\nThe county key was remembered on this computer: fingerprint "
                     f"{keys.spaced(self.county_key['fingerprint'])}. Check it with the "
                     "county's administrator; a different key later is refused.")
        if self.skipped:
            text += f"\n{len(self.skipped)} interview(s) could not be sent (listed below)."
        if self.unsummarised:
            many = len(self.unsummarised)
            text += (f"\n{many} interview{'s' * (many != 1)} on the county database "
                     f"{'have' if many != 1 else 'has'} no current county summary (listed "
                     "below): the county table does not count "
                     f"{'them' if many != 1 else 'it'} until a sync can make one.")
        return plain(text)


@dataclass
class _Work:
    session_id: str
    meta: bytes
    data_key: bytes
    seqs: list[int]          # the seq of each of records
    records: list[bytes]
    new: bool                # the interview row is not on the server yet
    bound: dict | None       # the summary to send with its last events


def _fault(point: str, batch: int) -> None:
    wanted = os.environ.get(FAULT_ENV)
    if wanted and wanted == f"{point}:{batch}":
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


# --- the pinned county key ------------------------------------------------------------------


def read_pin(store) -> dict | None:
    path = Path(store.path) / PIN_FILE
    try:
        data = jsonin.loads(path.read_bytes()[:4096])
        if isinstance(data, dict) and isinstance(data.get("fingerprint"), str):
            return data
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        pass
    raise CountyError(f"{path}: the county key this computer remembers cannot be read (damaged):"
                      " ask the county's administrator for the fingerprint, then run sync with "
                      "--accept-county-key FINGERPRINT")


PINNED = "county_key_pinned"  # the audit trail's action; its detail: the fingerprint


def trail_pin(store) -> tuple[str | None, bool]:
    """(the fingerprint this store's audit trail last pinned or None, whether the trail says
    this store has synced). A trail that does not verify against its sealed head (cut short,
    rewritten, deleted) vouches for nothing: it counts as having synced."""
    entries = store.audit.entries()
    pinned = [e.get("detail") for e in entries if e.get("action") == PINNED]
    synced = bool(pinned) or any(e.get("action") == "synced" for e in entries)
    try:
        broken = bool(store.verify_audit()[1])
    except (StorageError, OSError):
        broken = True
    fp = pinned[-1] if pinned and isinstance(pinned[-1], str) else None
    return fp, synced or broken


def county_copy_note(store) -> str:
    """What deleting an interview on this computer leaves on the county server, for the
    delete's confirmation: deletion is not synced (the county's copy is a county record, and
    nobody deletes a synced event); "" when this store has never synced."""
    if not (Path(store.path) / PIN_FILE).exists() and \
            not any(e.get("action") in ("synced", PINNED) for e in store.audit.entries()):
        return ""
    return ("This computer syncs to the county: a copy already sent with `sync` stays on the "
            "county server, readable with the county key. Ask the county's administrator to "
            "remove it there.")


def write_pin(store, kid: str, fp: str) -> None:
    from interview.storage.files import write_atomic
    from interview.storage.store import now

    try:
        write_atomic(Path(store.path) / PIN_FILE, json.dumps(
            {"key_id": kid, "fingerprint": fp, "pinned": now()}, indent=1).encode())
    except OSError as exc:
        raise CountyError(f"cannot remember the county key in {store.path}: "
                          f"{exc.strerror}") from None


def check_county_key(store, conn, accept: str | None) -> dict:
    """The county key to wrap to, checked against the one this computer pinned."""
    current = schema.current_county_key(conn)
    if current is None:
        raise CountyError("the county database has no county key: the administrator runs "
                          "`csec-interview county init --key-out FILE` first")
    kid, public = current[0], bytes(current[1])
    fp = keys.fingerprint(public)
    if keys.key_id(public) != kid:
        raise CountyError("the county database's key does not match its id (damaged or "
                          "forged): nothing was sent; tell the county's administrator")
    accepted = keys.normal_fingerprint(accept) if accept else None
    if accept and accepted != fp:
        raise CountyError(f"--accept-county-key: the county database offers the key with "
                          f"fingerprint {keys.spaced(fp)}, not the one given: nothing was sent; "
                          "check the fingerprint with the county's administrator")
    in_trail, synced = trail_pin(store)
    try:
        pin = read_pin(store)
    except CountyError:
        if in_trail is None and not accepted:
            raise
        pin = None  # the trail's pin is the one that counts
    # The trail's pin; county.json only for a store that synced before the trail kept it
    # (its next sync writes it into the trail).
    known = in_trail if in_trail is not None else pin["fingerprint"] if pin else None
    if known is not None and known != fp and not accepted:
        raise CountyError(
            f"the county key changed since this computer last synced (it knew "
            f"{keys.spaced(known)}; the database now offers {keys.spaced(fp)}). "
            "Nothing was sent. A new key is normal only when the county rotated it: check the "
            "new fingerprint with the county's administrator (not through the database), then "
            "run sync again with --accept-county-key FINGERPRINT")
    if known is None and not accepted:
        mine = conn.execute("SELECT EXISTS (SELECT FROM interviews WHERE owner = current_user)"
                            ).fetchone()[0]
        if synced or mine:
            why = ("its audit trail says it has synced before (or was cut short or deleted, "
                   "and so cannot say it has not)" if synced else
                   "the county database already holds interviews you synced (from a copy of "
                   "this store made before its first sync, or from another computer)")
            raise CountyError(
                f"this computer remembers no county key, but {why}: its remembered key was "
                f"removed, or the store was put back from an older copy. Nothing was sent. The "
                f"database offers {keys.spaced(fp)}: check it with the county's administrator "
                "(not through the database), then run sync again with --accept-county-key "
                "FINGERPRINT")
    pinned_now = known != fp
    if pinned_now or pin is None or pin["fingerprint"] != fp:
        write_pin(store, kid, fp)
    if in_trail != fp:
        store.audit.append(PINNED, detail=fp)
    return {"id": kid, "fingerprint": fp, "public": public, "pinned_now": pinned_now}


# --- what the laptop has --------------------------------------------------------------------


def _local(store, session_id: str, report: SyncReport):
    """(log, header meta, whole records) of an interview, or None (reported) when it cannot
    be read."""
    try:
        log = store.open_session(session_id, writable=False)
    except StorageError as exc:
        report.skipped.append(f"{session_id}: {exc}")
        return None
    except OSError as exc:
        report.skipped.append(f"{session_id}: cannot read it: {exc.strerror}")
        return None
    return log, log.sealed_meta, log.records  # as verified when it was opened


def _summary_data(store, log, library_factory) -> tuple[dict | None, str]:
    """(what the county table keeps of an interview: its sealed summary on this computer, made
    now when it is missing or stale; why there is none, when there is none)."""
    data = store.read_summary(log.id)
    if data is not None:
        return data, ""
    from interview.errors import InterviewError
    from interview.reports.aggregate import save_summary
    from interview.rules import evaluate
    from interview.storage.saved import record_of

    try:
        library = library_factory()
        record = record_of(library, log)  # a renamed step is said as for a saved interview
        findings = evaluate(library, record)
    except InterviewError as exc:
        return None, str(exc)
    if save_summary(library, log, record, findings):
        data = store.read_summary(log.id)
        if data is not None:
            return data, ""
    return None, "its summary could not be saved on this computer (is the disk full?)"


# --- sending --------------------------------------------------------------------------------


def _batches(work: list[_Work], size: int):
    """Lists of (work, first index, end index) with at most `size` events each (an
    interview's events may span batches: its row comes with the first, its summary with the
    last)."""
    batch, count = [], 0
    for item in work:
        start, total = 0, len(item.records)
        while True:
            end = start + min(total - start, size - count)
            batch.append((item, start, end))
            count += end - start
            if end == total:
                break
            yield batch
            batch, count, start = [], 0, end
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


def sync(store, conn, library_factory, accept: str | None = None,
         batch_events: int = 2000) -> SyncReport:
    """Send what the county database lacks of this store's interviews (see the module)."""
    report = SyncReport()
    schema.check_version(conn)
    me = conn.execute("SELECT kind FROM workers WHERE role = current_user AND disabled IS NULL"
                      ).fetchone()
    user = conn.execute("SELECT current_user").fetchone()[0]
    if me is None:
        raise CountyError(f"connected as {user!r}, who is not set up as a county user: the "
                          "county's administrator runs `csec-interview county add-user` first")
    if me[0] == "coordinator":
        raise CountyError(f"{user!r} is the county coordinator, who reads the county table: "
                          "interviews are synced by the worker who made them, as themselves")
    county = check_county_key(store, conn, accept)
    report.county_key = {k: county[k] for k in ("id", "fingerprint", "pinned_now")}

    # The highest seq AND the count: a hole in the middle (an event deleted on the server, a
    # partial restore) leaves the highest seq as it was, and only the count tells.
    server, holes = {}, {}
    for sid, top, held, summarised in conn.execute(
            "SELECT i.session_id, max(e.seq), count(e.seq), s.events FROM interviews i LEFT "
            "JOIN events e ON e.session_id = i.session_id LEFT JOIN summaries s ON "
            "s.session_id = i.session_id WHERE i.owner = current_user "
            "GROUP BY i.session_id, s.events"):
        server[sid] = (-1 if top is None else top, summarised)
        if top is not None and held < top + 1:
            holes[sid] = set(range(top + 1))
    if holes:
        for sid, seq in conn.execute("SELECT session_id, seq FROM events WHERE session_id = "
                                     "ANY(%s)", (list(holes),)):
            holes[sid].discard(seq)
    work: list[_Work] = []
    for session_id in sorted(store.session_ids()):
        found = _local(store, session_id, report)
        if found is None:
            continue
        log, meta, records = found
        top, summarised = server.get(session_id, (-1, None))
        if top + 1 > len(records):
            report.skipped.append(
                f"{session_id}: the county database holds {top + 1} events of it, this computer "
                f"only {len(records)} (its store was put back from an older copy?): nothing of "
                "it was sent; tell the county's administrator")
            continue
        bound = None
        if summarised is None or summarised < len(records):
            data, why = _summary_data(store, log, library_factory)
            if data is not None:
                bound = {"events": len(records), "data": data}
            else:
                report.unsummarised.append(
                    f"{session_id}: " + ("no county summary of it is on the server"
                                         if summarised is None else
                                         f"its county summary there counts {summarised} of "
                                         f"its {len(records)} events") + f": {why}")
        missing = sorted(holes.get(session_id, ()))
        if not missing and top + 1 == len(records) and bound is None and session_id in server:
            report.up_to_date += 1
            continue
        seqs = missing + list(range(top + 1, len(records)))
        work.append(_Work(session_id, meta, log.key, seqs, [records[i] for i in seqs],
                          session_id not in server, bound))
    if not work:
        store.audit.append("synced", detail="nothing to send")
        return report

    wrapper = keys.Wrapper(county["id"], county["public"])
    wrap_saved = False
    for number, batch in enumerate(_batches(work, max(1, batch_events)), start=1):
        with conn.transaction():
            needs_wrap = any(item.new and start == 0 or (item.bound and end == len(item.records))
                             for item, start, end in batch)
            if needs_wrap and not wrap_saved:
                conn.execute("INSERT INTO wraps (id, county_key, ephemeral) VALUES (%s, %s, %s)",
                             (wrapper.id, wrapper.county_id, wrapper.ephemeral))
            new = [(item.session_id, item.meta, wrapper.id,
                    wrapper.wrap(item.session_id, item.data_key))
                   for item, start, _ in batch if item.new and start == 0]
            with conn.cursor() as cur:
                if new:
                    cur.executemany("INSERT INTO interviews (session_id, meta, wrap, wrapped_key)"
                                    " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING", new)
                    ids = [row[0] for row in new]
                    mine = {r[0] for r in cur.execute(
                        "SELECT session_id FROM interviews WHERE session_id = ANY(%s) AND "
                        "owner = current_user", (ids,))}
                    taken = [sid for sid in ids if sid not in mine]
                    if taken:
                        raise CountyError(f"interview {taken[0]}: its id is already used on the "
                                          "county database by another user's interview: "
                                          "nothing of this batch was sent; tell the county's "
                                          "administrator")
                rows = [(item.session_id, item.seqs[i], item.records[i])
                        for item, start, end in batch for i in range(start, end)]
                sent = 0
                if rows:
                    # one statement, one round trip, for the batch (arrays, unnested), and no
                    # temporary table (nor the right to make one) needed
                    cur.execute("INSERT INTO events (session_id, seq, record) SELECT * FROM "
                                "unnest(%s::text[], %s::integer[], %s::bytea[]) ON CONFLICT "
                                "DO NOTHING", [list(column) for column in zip(*rows)],
                                binary=True)
                    sent = max(cur.rowcount, 0)
                    _fault("before-commit", number)
                summaries = [(item.session_id, item.bound["events"], wrapper.id,
                              wrapper.seal_summary(item.session_id, item.bound))
                             for item, start, end in batch
                             if item.bound and end == len(item.records)]
                if summaries:
                    cur.executemany(
                        "INSERT INTO summaries (session_id, events, wrap, sealed) VALUES "
                        "(%s, %s, %s, %s) ON CONFLICT (session_id) DO UPDATE SET "
                        "events = EXCLUDED.events, wrap = EXCLUDED.wrap, sealed = "
                        "EXCLUDED.sealed, updated = now() WHERE summaries.events <= "
                        "EXCLUDED.events", summaries)
        _fault("after-commit", number)
        wrap_saved = wrap_saved or needs_wrap
        report.events += sent
        report.bytes += sum(len(r[2]) for r in rows)
        report.summaries += len(summaries)
        report.new_sessions += len(new)
    report.sessions = len(work)
    store.audit.append("synced", detail=f"{report.events} events of {report.sessions} "
                       f"interviews, {report.summaries} summaries")
    return report
