"""From the hotline to the field, through the county database: the screener's laptop seals a
hotline screen's handoff package (interview/handoff.py's JSON) to the receiving worker's public
key, and the receiving worker's next `sync` opens it and starts a youth interview in their own
store from it (interview.handoff.seed: the reported facts and red flags, marked as reported).

Sealing: X25519 with a fresh ephemeral key per package, HKDF-SHA256 (info binds the handoff
id, the recipient, and both public keys), AES-256-GCM (the handoff id and recipient in the
associated data), the package padded to a size bucket first (reviews.padded). Only the recipient's private key opens it: not the sender afterwards, not
the county key, not the database administrator. The database lets only the recipient read the
row (row level security, migration 0002).

Each worker's key pair is made by their first sync: the private half stays in their store
(STORE/handoff-key.json, sealed by the store key), the public half goes to their `workers` row.
A passphrase change makes a new store key, which does not open the old file: the next sync then
makes a new pair, and a handoff sealed to the old one is said to be unreadable (the screener
hands it over again).

One hotline screen is one youth interview: a handoff's id is derived from the screen's id, the
recipient, the recipient's public key and the package's digest (`handoff_id_for`), so the
database refuses a second row of the same package for the same worker (a `handoff` run again
after a dropped connection: "already handed to ..."), while a screen sealed to a key the worker
has since lost can be handed over again, and a screen the hotline changed since (a call-back:
safety now "yes") goes as a correction. On receipt, a package of a screen this store already
made an interview of (its audit trail says which) makes no second interview: the same package
is marked received, a changed one is recorded on that interview (interview.handoff.correct) and
the sync says what changed.

Also here: `receive_all`, what a worker's `sync` pulls (reviews and handoffs).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from interview import jsonin
from interview.county.db import CountyError
from interview.errors import InterviewError
from interview.county.keys import derive_kek, raw_public, x25519
from interview.county.reviews import padded, unpadded
from interview.storage import crypto

KEY_FILE = "handoff-key.json"
INFO = b"csec county handoff"


def _raw_public(private) -> bytes:
    return raw_public(private.public_key())


def _kek(shared: bytes, handoff_id: str, recipient: str, ephemeral: bytes,
         public: bytes) -> bytes:
    return derive_kek(shared, INFO + b"\0" + handoff_id.encode() + b"\0" + recipient.encode()
                      + b"\0" + ephemeral + public)


def _aad(handoff_id: str, recipient: str) -> bytes:
    return b"county-handoff\0" + handoff_id.encode() + b"\0" + recipient.encode()


def seal_to(public: bytes, recipient: str, handoff_id: str, text: str) -> tuple[bytes, bytes]:
    """(ephemeral public key, sealed package) for the holder of `public`."""
    x = x25519()
    ephemeral = x.X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral)
    shared = ephemeral.exchange(x.X25519PublicKey.from_public_bytes(bytes(public)))
    kek = _kek(shared, handoff_id, recipient, ephemeral_public, bytes(public))
    return ephemeral_public, crypto.seal(kek, padded(text), _aad(handoff_id, recipient))


def open_sealed(private: bytes, recipient: str, handoff_id: str, ephemeral: bytes,
                sealed: bytes) -> str:
    """The package's text; InterviewError when this key does not open it."""
    x = x25519()
    key = x.X25519PrivateKey.from_private_bytes(private)
    try:
        shared = key.exchange(x.X25519PublicKey.from_public_bytes(bytes(ephemeral)))
        kek = _kek(shared, handoff_id, recipient, bytes(ephemeral), _raw_public(key))
        return unpadded(crypto.open_sealed(kek, bytes(sealed), _aad(handoff_id, recipient))
                        ).decode("utf-8")
    except (ValueError, crypto.DecryptionFailed, UnicodeDecodeError):
        raise InterviewError(f"handoff {handoff_id} does not open with your key (sealed to an "
                             "earlier key of yours, before a passphrase change, or altered): "
                             "ask the screener to hand it over again") from None


# --- the worker's own key pair ----------------------------------------------------------------


def _key_aad(key_id: str, public: bytes) -> bytes:
    return b"handoff-key\0" + key_id.encode() + b"\0" + public


def own_key(store) -> tuple[bytes, bytes, bool]:
    """(private, public, made now) of this store's handoff key, made (and kept sealed) when it
    has none its store key opens."""
    from interview.storage.store import write_atomic

    path = Path(store.path) / KEY_FILE
    try:
        data = jsonin.loads(path.read_bytes()[:4096])
        public = crypto.unb64(data["public"])
        if data["key_id"] == store.key_id:
            private = crypto.open_sealed(store.store_key, crypto.unb64(data["private"]),
                                         _key_aad(store.key_id, public))
            if _raw_public(x25519().X25519PrivateKey.from_private_bytes(private)) == public:
                return private, public, False
    except (OSError, ValueError, KeyError, TypeError, crypto.DecryptionFailed):
        pass  # none yet, damaged, or sealed by a store key since replaced: a new pair
    from cryptography.hazmat.primitives import serialization

    key = x25519().X25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = _raw_public(key)
    sealed = crypto.seal(store.store_key, private, _key_aad(store.key_id, public))
    try:
        write_atomic(path, json.dumps({"key_id": store.key_id, "public": crypto.b64(public),
                                       "private": crypto.b64(sealed)}).encode())
    except OSError as exc:
        raise CountyError(f"cannot keep this computer's handoff key in {store.path}: "
                          f"{exc.strerror}") from None
    store.audit.append("handoff_key_made")
    return private, public, True


def publish(conn, public: bytes, made_now: bool) -> str:
    """Put this worker's public key in their `workers` row; a warning when the row held
    another key that this computer did not replace just now: someone with rights over the
    database put their own there, so that handoffs to this worker would be sealed to them."""
    row = conn.execute("SELECT public_key FROM workers WHERE role = current_user").fetchone()
    held = bytes(row[0]) if row and row[0] is not None else None
    if held == public:
        return ""
    conn.execute("UPDATE workers SET public_key = %s WHERE role = current_user", (public,))
    if held is None or made_now:
        return ""
    return ("the county database held another handoff key for you than this computer's, and "
            "this computer did not change its key: someone replaced it (or you sync from a "
            "second computer). This computer's key is back in place; tell the county's "
            "administrator: a handoff sealed to the other key could be read by whoever put it "
            "there")


# --- sending ----------------------------------------------------------------------------------


def handoff_id_for(screen: str, recipient: str, public: bytes, package: str,
                   before: tuple[str, ...] | list[str] = ()) -> str:
    """The id of the handoff of hotline screen `screen` to `recipient`'s key `public`, of the
    package whose digest is `package`, after the packages whose digests (their starts, as the
    audit trail keeps them) `before` this store sent that worker, oldest first: the same for
    the same screen, worker, key and chain of packages, so the database (its primary key) holds
    one of them at most (a re-run after a dropped connection is refused); a changed screen (its
    correction) is another, and so is a screen corrected back to an earlier package (A, B, A:
    review2 A3), the chain being longer."""
    chain: list[str] = []
    for sent in [*before, package]:
        sent = sent[:16]
        if sent and (not chain or chain[-1] != sent):
            chain.append(sent)
    digest = hashlib.sha256(b"csec county handoff id\0" + screen.encode() + b"\0"
                            + recipient.encode() + b"\0" + bytes(public) + b"\0"
                            + package.encode())
    if len(chain) > 1:  # a first package's id is the one made before corrections were sent
        digest.update(b"\0after\0" + " ".join(chain[:-1]).encode())
    return digest.hexdigest()[:32]


def _handed_off(store, screen: str):
    """(to whom, when as the audit trail says it, the package's digest start or "") for each
    `handed_off` entry of hotline screen `screen` in this store's audit trail, oldest first: "to
    W" (written before corrections were sent) or "to W, package <digest>"."""
    for entry in store.audit.entries():
        detail = str(entry.get("detail", ""))
        if entry.get("action") == "handed_off" and entry.get("session") == screen \
                and detail.startswith("to "):
            to, _, package = detail.partition(", package ")
            yield to.removeprefix("to "), str(entry.get("at", "")), package


def handed_over(store, screen: str) -> list[tuple[str, str, str]]:
    """(to whom, when in UTC, the package's digest start) for each time this store's `handoff`
    handed hotline screen `screen` over, oldest first, from its audit trail."""
    return [(to, at[:16].replace("T", " "), package)
            for to, at, package in _handed_off(store, screen)]


def last_sent(conn, screen: str) -> str:
    """When this sender last handed hotline screen `screen` over, as their own audit rows in
    the database recorded it ("" when none)."""
    row = conn.execute(
        "SELECT max(at) FROM county_reads WHERE action = 'handoff_sent' AND session_id = %s "
        "AND who = session_user", (screen,)).fetchone()
    return row[0].astimezone().strftime("%Y-%m-%d %H:%M %Z") if row and row[0] else ""


def already_handed(conn, recipient: str, screen: str, at: str = "") -> str:
    """The one message for the same package of a screen handed to the same worker before
    (pending or received): when this package was sent (`at`, from this store's audit trail;
    else the last time this sender's own audit rows in the database recorded), once."""
    when = at or last_sent(conn, screen)
    return (f"--to {recipient}: hotline screen {screen} was already handed to {recipient}"
            f"{' at ' + when if when else ''}, as it is now; it waits for their next sync or was "
            "received, and is not sent again (a second copy would make a second youth interview "
            "of one call; a change to the screen is sent as its correction)")


def handed_elsewhere(store, screen: str, recipient: str) -> str:
    """The one message for a screen this computer handed to another worker before (its audit
    trail's `handed_off` entries; the database shows a sender no recipient): "" when none. Only
    since the latest handoff to `recipient`: after `--reassign` to them, a correction to them
    is no second interview (review2 C1)."""
    import datetime as dt

    before = {}
    held_before = False  # the recipient had it once already: their sync corrects, not starts
    for to, at, _ in _handed_off(store, screen):
        if to == recipient:
            before = {}  # they hold it: whoever had it before was told of the reassign
            held_before = True
        else:
            try:
                before[to] = dt.datetime.fromisoformat(at).astimezone().strftime(
                    "%Y-%m-%d %H:%M %Z")
            except ValueError:
                before[to] = "an earlier time"
    if not before:
        return ""
    said = "; ".join(f"{to} at {at}" for to, at in before.items())
    then = (f"{recipient} had it before, so their sync records this as a correction of the "
            "youth interview they have" if held_before else
            f"{recipient}'s sync then makes a second youth interview of this one call")
    return (f"--to {recipient}: hotline screen {screen} was already handed to {said}; their "
            f"sync makes a youth interview of it. If the referral was reassigned to {recipient},"
            f" add --reassign and tell {', '.join(before)}: {then}")


def send(conn, recipient: str, package, library, before=(), sent_at: str = "") -> str:
    """Seal `package` (an interview.handoff.Handoff, made by `handoff_from`, which ran the
    reader's checks) to `recipient` and store it; its id. `before`: the digests of the packages
    of this screen this store sent them already, oldest first (`handed_over`); `sent_at`: when
    this store sent this package to them, as its audit trail says ("" when it did not). Refused before anything is sealed
    when the recipient's computer could not store the interview it starts (one event)."""
    from interview.handoff import too_large
    from interview.storage.log import MAX_EVENT

    problem = too_large(package, library, MAX_EVENT)
    if problem:
        raise CountyError(problem)
    found = conn.execute("SELECT csec_is_user(%s), csec_public_key(%s)",
                         (recipient, recipient)).fetchone()
    if not found[0]:
        raise CountyError(f"--to {recipient[:70]!r}: no county user of that name (or they were "
                          "disabled): give the database user name of the worker assigned to "
                          "the referral")
    for role, who in (("csec_coordinator", "the county coordinator, who receives no handoffs "
                       "(the coordinator reads the county table only)"),
                      ("csec_supervisor", "a supervisor, who receives no handoffs (a "
                       "supervisor reviews on the county database, with no laptop store to "
                       "start the youth interview in)")):
        if found[1] is None and conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')",
                                             (recipient, role)).fetchone()[0]:
            raise CountyError(f"--to {recipient}: {recipient} is {who}: give the worker "
                              "assigned to the referral")
    if found[1] is None:
        raise CountyError(f"--to {recipient}: they have not synced yet, so the county database "
                          "has no key to seal the handoff to: ask them to run "
                          "`csec-interview sync` once, then hand it over again")
    me = conn.execute("SELECT current_user").fetchone()[0]
    if me == recipient:
        raise CountyError("--to: that is you; give the worker assigned to the referral")
    the_id = handoff_id_for(package.session, recipient, bytes(found[1]),
                            package.as_json()["digest"], before)
    ephemeral, sealed = seal_to(found[1], recipient, the_id, package.dumps())
    from psycopg import errors

    try:
        with conn.transaction():
            conn.execute("INSERT INTO handoffs (id, recipient, ephemeral, sealed) VALUES "
                         "(%s, %s, %s, %s)", (the_id, recipient, ephemeral, sealed))
            conn.execute("INSERT INTO county_reads (action, session_id) VALUES "
                         "('handoff_sent', %s)", (package.session,))
    except errors.UniqueViolation:  # this screen, to this worker's key: there already
        raise CountyError(already_handed(conn, recipient, package.session, sent_at)) from None
    except errors.InsufficientPrivilege:  # the row policy (migration 0003)
        pending, bound = conn.execute("SELECT csec_pending_handoffs(%s), "
                                      "csec_max_pending_handoffs()", (recipient,)).fetchone()
        if pending >= bound:
            raise CountyError(f"--to {recipient}: {pending} hotline screens you handed to them "
                              f"wait unreceived, the most the county database keeps from one "
                              f"sender for one worker ({bound}): ask them to sync, then hand "
                              "this one over again") from None
        raise CountyError(f"the county database does not let {me} hand a screen to "
                          f"{recipient}: tell the county's administrator") from None
    return the_id


# --- what a worker's sync pulls ---------------------------------------------------------------


def sender_words(role: str, team: str | None) -> str:
    """Who handed a screen over, as the county database recorded it: their user name and
    team (a row made before migration 0003 has no team)."""
    return f"{role} (team {team})" if team else str(role)


def unreadable(what: str, exc: Exception) -> str:
    """The one line for a received package that failed in a way no check foresaw (a
    RecursionError from brackets nested 100,000 deep, ...): that package's problem, said by
    the sync and tried again at the next one; never the sync's failure, never a traceback."""
    return (f"{what} cannot be read ({type(exc).__name__}): it was damaged or made by hand, "
            "not by a screen; ask whoever handed it over to do it again")


@dataclass
class Received:
    reviews: list[str] = field(default_factory=list)     # session ids, one per review
    handoffs: list[str] = field(default_factory=list)    # the new interviews' ids
    senders: list[str] = field(default_factory=list)     # who handed each over, in words
    # a screen handed over again that this store already made an interview of: (words, id)
    again: list[tuple[str, str]] = field(default_factory=list)
    # a changed screen recorded on the interview this store made of it: (words, screen, id,
    # what changed)
    corrected: list[tuple[str, str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # a package received and not applied, for good (a correction from someone who did not
    # hand the screen over): said once, never tried again
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # for a new interview made of a screen: the youth interviews this store already had that
    # were started since the call's day (maybe of the same child, started before it arrived)
    started_before: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"reviews_received": len(self.reviews), "handoffs_received": self.handoffs,
                "handoffs_from": self.senders,
                "handoffs_already_received": [sid for _, sid in self.again],
                "handoffs_corrected": [{"screen": screen, "session": sid, "changes": what}
                                       for _, screen, sid, what in self.corrected],
                "receive_problems": self.problems + self.refused,
                "warnings": self.warnings}

    def words(self) -> str:
        lines = []
        if self.reviews:
            n = len(self.reviews)
            lines.append(f"{n} review{'s' * (n != 1)} received (sessions "
                         f"{', '.join(sorted(set(self.reviews)))}).")
        for sid, who in zip(self.handoffs, self.senders):
            lines.append(f"A hotline screen was handed to you by {who}: new youth interview "
                         f"{sid}, its facts and red flags marked as reported by the hotline.")
            others = self.started_before.get(sid)
            if others:  # the chain audit, 7a: one call, one youth interview, said
                lines.append(f"  You already have youth interview{'s' * (len(others) > 1)} "
                             f"{', '.join(others)} started since that call: if one is of this "
                             "child, go on in one of them and say so in the other's notes.")
        for who, sid in self.again:
            lines.append(f"A hotline screen handed to you again by {who} was received before "
                         f"(youth interview {sid}): no second interview was made of it.")
        for who, screen, sid, what in self.corrected:
            lines.append(f"The hotline corrected screen {screen} (handed to you again by {who}): "
                         f"{what}. Recorded on youth interview {sid}, which now reads the "
                         "corrected referral; no second interview was made of it.")
        lines += [f"Not received now (tried again at the next sync): {p}" for p in self.problems]
        lines += [f"{p[:1].upper()}{p[1:]}." for p in self.refused]
        lines += [f"WARNING: {w}" for w in self.warnings]
        from interview.text import plain

        return plain("".join("\n" + line for line in lines))


def receive_handoffs(store, conn, library, out: Received) -> None:
    from psycopg import Rollback

    from interview.handoff import Handoff, seed
    from interview.storage.saved import SavedSession

    private, public, made_now = own_key(store)
    warning = publish(conn, public, made_now)
    if warning:
        out.warnings.append(warning)
    me = conn.execute("SELECT current_user").fetchone()[0]
    rows = conn.execute("SELECT id, ephemeral, sealed, sender, sender_team FROM handoffs "
                        "WHERE recipient = current_user AND received IS NULL "
                        "ORDER BY created, id").fetchall()
    made = screens_received(store) if rows else {}
    youth = None  # the youth interviews this store already has (read when first needed)
    for handoff_id, ephemeral, sealed, sender, team in rows:
        who = sender_words(sender, team)
        try:
            package = Handoff.loads(open_sealed(private, me, handoff_id, ephemeral, sealed),
                                    library).with_sender(sender, team)
        except InterviewError as exc:
            out.problems.append(f"from {who}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - any package: its problem, never the sync's
            out.problems.append(unreadable(f"handoff {handoff_id} from {who}", exc))
            continue
        if package.session in made:  # one call, one youth interview: a copy or a correction
            receive_again(store, conn, library, handoff_id, package, made[package.session],
                          who, out)
            continue
        # Marked received in the same transaction that creates the interview here: a sync
        # killed before the commit receives it again (at worst a second copy, never none).
        with conn.transaction():
            if conn.execute("UPDATE handoffs SET received = now() WHERE id = %s AND "
                            "received IS NULL RETURNING id", (handoff_id,)).fetchone() is None:
                continue  # another sync of this worker took it
            try:
                saved = SavedSession.create(store, library, "youth")
            except InterviewError as exc:
                out.problems.append(f"handoff {handoff_id} from {who}: {exc}")
                raise Rollback() from None  # still waiting for the next sync
            try:
                seed(saved.session, package)
            except BaseException as exc:
                saved.close()
                store.delete_session(saved.id)
                if isinstance(exc, InterviewError):
                    out.problems.append(f"handoff {handoff_id} from {who}: {exc}")
                elif isinstance(exc, Exception):
                    out.problems.append(unreadable(f"handoff {handoff_id} from {who}", exc))
                else:
                    raise  # KeyboardInterrupt and the like: the interview was taken back
                raise Rollback() from None
            saved.close()
            store.audit.append("handoff_received", saved.id,
                               f"handoff {handoff_id} of hotline screen {package.session} "
                               f"from {sender}")
            made[package.session] = saved.id
            conn.execute("INSERT INTO county_reads (action, session_id) VALUES "
                         "('handoff_received', %s)", (saved.id,))
            out.handoffs.append(saved.id)
            out.senders.append(who)
            if youth is None:  # read once a sync, before this sync's new ones
                youth = _youth_started(store, library)
            others = sorted(sid[:8] for sid, day in youth.items()
                            if day >= package.date and sid not in made.values())
            if others:
                out.started_before[saved.id] = others


def _youth_started(store, library) -> dict:
    """{id: the day it was started on this computer's clock, as the call's day is} of every
    youth interview (a flow that screens the youth) in this store."""
    import datetime as dt

    out = {}
    for info in store.list():
        flow = library.flows.get(info.flow)
        if info.problem or flow is None or not flow.screens_youth:
            continue
        try:
            out[info.id] = dt.datetime.fromisoformat(info.created).astimezone().date()
        except ValueError:
            continue
    return out


def receive_again(store, conn, library, handoff_id: str, package, sid: str, who: str,
                  out: Received) -> None:
    """A package of a screen this store already made youth interview `sid` of: the same
    package (a copy) is taken off; a changed one (the hotline corrected the screen) is recorded
    on that interview (interview.handoff.correct), in the transaction that marks it received,
    when the one who handed the screen over sent it: from anyone else it is received and not
    applied (any county worker may insert a handoff; the screen's id is no secret). While the
    interview is open in another window it waits for the next sync."""
    from psycopg import Rollback

    from interview.handoff import correct, same_package
    from interview.storage.saved import SavedSession
    from interview.storage.store import SessionBusy

    screen, sender = package.session, package.sender["role"]
    detail = f"handoff {handoff_id} of hotline screen {screen} from {sender}"
    saved = None
    if sid in set(store.session_ids()):
        try:
            saved = SavedSession.resume(store, library, sid)
        except SessionBusy:
            out.problems.append(f"the hotline's correction of screen {screen} from {who}: youth "
                                f"interview {sid} is open in another window: the correction is "
                                "received at the next sync")
            return
        except InterviewError as exc:
            out.problems.append(f"the hotline's correction of screen {screen} from {who}: {exc}")
            return
    try:
        with conn.transaction():
            if conn.execute("UPDATE handoffs SET received = now() WHERE id = %s AND "
                            "received IS NULL RETURNING id", (handoff_id,)).fetchone() is None:
                return  # another sync of this worker took it
            if saved is None or same_package(saved.session.record.handoff, package):
                store.audit.append("handoff_received_again", sid, detail)
                out.again.append((who, sid))
                return
            first = saved.session.record.handoff.sender or {}
            if first.get("role") != sender:  # review2 B1: only who handed it over corrects it
                store.audit.append("handoff_refused", sid, detail + ": not who handed it over")
                out.refused.append(f"a correction of screen {screen} from {who}, who did not "
                                   "hand it over: not applied; ask the hotline")
                return  # marked received in this transaction: it does not come back
            try:
                what = correct(saved.session, package)
            except InterviewError as exc:
                out.problems.append(f"handoff {handoff_id} from {who}: {exc}")
                raise Rollback() from None
            store.audit.append("handoff_corrected", sid, detail)
            conn.execute("INSERT INTO county_reads (action, session_id) VALUES "
                         "('handoff_received', %s)", (sid,))
            out.corrected.append((who, screen, sid, what))
    finally:
        if saved is not None:
            saved.close()


SCREEN = re.compile(r"\bof hotline screen ([0-9a-f]{1,64})\b")


def screens_received(store) -> dict[str, str]:
    """{hotline screen id: the youth interview this store made of it}, from the store's audit
    trail (each `handoff_received` names the screen)."""
    made = {}
    for entry in store.audit.entries():
        if entry.get("action") == "handoff_received":
            found = SCREEN.search(str(entry.get("detail", "")))
            if found:
                made.setdefault(found.group(1), str(entry.get("session", "")))
    return made


def receive_all(store, conn, library_factory) -> Received:
    """What `sync` brings back to the laptop: the reviews of its interviews and the hotline
    screens handed to its worker."""
    from psycopg import OperationalError

    from interview.county import reviews, schema

    out = Received()
    schema.check_version(conn)
    if conn.execute("SELECT csec_my_kind()").fetchone()[0] not in ("worker", "supervisor"):
        return out  # not a county user who syncs: `sync` says so
    library = library_factory()
    # Each in its own guard: whatever an incoming row does, the sync still sends this
    # computer's interviews (a lost connection is the sync's own error, said as such).
    for what, pull in (("reviews", lambda: reviews.receive(store, conn, library, out.reviews,
                                                           out.problems)),
                       ("hotline screens", lambda: receive_handoffs(store, conn, library, out))):
        try:
            pull()
        except OperationalError:
            raise
        except InterviewError as exc:
            out.problems.append(f"{what}: {exc}")
        except Exception as exc:  # noqa: BLE001 - an incoming row never stops the sending
            out.problems.append(unreadable(f"receiving {what}", exc))
    return out
