"""A supervisor's review, carried through the county database to the worker's laptop.

The supervisor's machine seals the review (interview/review.py's JSON) with the interview's
data key, which it opened with the county key, and stores it in `reviews`: the worker's laptop
holds that data key, so it opens the review; the database administrator, who holds neither,
cannot. The associated data binds the interview's id and the review's id, so a review moved to
another interview, or swapped with another review, does not open.

Its text is padded with zeros to a size bucket before it is sealed (`padded`, as events and
summaries are), so the server's copy does not tell how long the supervisor's comments are, and
so whether something was returned; a handoff package is padded the same way.

The database's row level security decides who writes one (a supervisor of the interview's
team, as themselves) and who reads one (the interview's owner and the team's supervisors).

The worker's next `sync` pulls the reviews of their interviews (`receive`) and adds each one
the interview does not hold yet as an event (`Session.receive_review`, saved through the store
like any other event), so it is in the worker's transcript and audit trail.
"""

from __future__ import annotations

import secrets

from interview.county.db import CountyError
from interview.errors import InterviewError
from interview.storage import crypto


# What a sealed review or handoff package is long: one of these (4 KiB ... 1 MiB, the most the
# database takes). A review, comments and all, is 4 KiB unless its comments run to pages (an
# all-approve review was 629 bytes, one with two short comments 1,027); most packages too.
BUCKETS = tuple(4096 << i for i in range(9))


def padded(text: str) -> bytes:
    """`text` (JSON, which never ends with a zero byte) and zeros after it, so that sealed it is
    exactly one of BUCKETS long (anything longer than the largest is left as it is: the
    database refuses it)."""
    data = text.encode("utf-8")
    overhead = crypto.NONCE_BYTES + crypto.TAG_BYTES
    size = next((b for b in BUCKETS if b - overhead >= len(data)), len(data) + overhead)
    return data + bytes(size - overhead - len(data))


def unpadded(plain: bytes) -> bytes:
    """What `padded` padded (and a text sealed before padding, as it was)."""
    return plain.rstrip(b"\0")


def aad(session_id: str, review_id: str) -> bytes:
    return b"county-review\0" + session_id.encode() + b"\0" + review_id.encode()


def seal(data_key: bytes, session_id: str, review_id: str, review) -> bytes:
    return crypto.seal(data_key, padded(review.dumps()), aad(session_id, review_id))


def unseal(data_key: bytes, session_id: str, review_id: str, sealed: bytes):
    """The Review; InterviewError when it does not open or is not one for this interview."""
    from interview.review import Review

    try:
        text = unpadded(crypto.open_sealed(data_key, bytes(sealed), aad(session_id, review_id)))
    except crypto.DecryptionFailed:
        raise InterviewError(f"review {review_id} of session {session_id} does not open with "
                             "the interview's key (altered, or moved from another "
                             "interview)") from None
    review = Review.loads(text)
    if review.session != session_id:
        raise InterviewError(f"review {review_id} names session {review.session}, not "
                             f"{session_id}: it was moved")
    return review


def parse_decisions(pairs, determinations) -> list[tuple[str, str, str]]:
    """--decision DET=approve|return, each with the --comment that followed it, checked
    against the interview's determinations: every one decided, once."""
    known = {d.id for d in determinations}
    listed = ", ".join(sorted(known)) or "none"
    out, seen = [], set()
    for text, comment in pairs:
        det, sep, verdict = text.partition("=")
        det, verdict = det.strip(), verdict.strip().lower()
        if not sep or verdict not in ("approve", "return"):
            raise InterviewError(f"--decision {text[:60]!r}: write DETERMINATION=approve or "
                                 "DETERMINATION=return, e.g. --decision csec_type=approve")
        if det not in known:
            raise InterviewError(f"--decision {det[:60]!r}: the interview has no such "
                                 f"determination; it has: {listed}")
        if det in seen:
            raise InterviewError(f"--decision {det}: decided twice; give each once")
        if verdict == "return" and not (comment or "").strip():
            raise InterviewError(f"--decision {det}=return needs a --comment after it saying "
                                 "what the worker should change")
        seen.add(det)
        out.append((det, verdict, comment or ""))
    missing = sorted(known - seen)
    if missing:
        raise InterviewError(f"decide every determination: {', '.join(missing)} "
                             f"{'has' if len(missing) == 1 else 'have'} no --decision")
    return out


def sent_before(conn, data_key: bytes, session_id: str) -> str:
    """What the supervisor is told when the interview was reviewed already: the newest review
    sent, when, by whom and what it decided ("the review of 2026-11-30 01:25 UTC by sup: 1
    returned"), or "" when there is none. A new review replaces it: the worker sees both, the
    newest marked current (interview/review.py's reviews_view)."""
    from interview.reports.render import when

    rows = conn.execute("SELECT id, reviewer, created, sealed FROM reviews WHERE session_id = "
                        "%s ORDER BY created, id", (session_id,)).fetchall()
    if not rows:
        return ""
    review_id, reviewer, created, sealed = rows[-1]
    try:
        review = unseal(data_key, session_id, review_id, sealed)
    except InterviewError:
        decided, at = "it does not open here", created.isoformat()
    else:
        n = len(review.returned)
        decided, at = (f"{n} returned" if n else "all approved"), review.at
    more = f" (the newest of {len(rows)} sent)" if len(rows) > 1 else ""
    return f"the review of {when(at)} by {reviewer}: {decided}{more}"


def send(conn, data_key: bytes, session_id: str, review) -> str:
    """Store the sealed review as the connected supervisor; its id. The database refuses
    anyone else (one message)."""
    from psycopg import errors

    review_id = secrets.token_hex(16)
    try:
        with conn.transaction():
            conn.execute("INSERT INTO reviews (id, session_id, sealed) VALUES (%s, %s, %s)",
                         (review_id, session_id, seal(data_key, session_id, review_id, review)))
            conn.execute("INSERT INTO county_reads (action, session_id) VALUES "
                         "('reviewed', %s)", (session_id,))
    except (errors.InsufficientPrivilege, errors.CheckViolation):
        user = conn.execute("SELECT current_user").fetchone()[0]
        raise CountyError(f"the county database does not let {user} review session "
                          f"{session_id}: a supervisor of the worker's team reviews it") from None
    return review_id


def receive(store, conn, library, received: list[str], problems: list[str]) -> None:
    """Add each review of this store's interviews that the interview does not hold yet (an
    event through the store, audited); the session ids in `received`, what could not be
    added (said, and tried again at the next sync) in `problems`."""
    from interview.storage.saved import SavedSession
    from interview.storage.store import SessionBusy

    rows = conn.execute("SELECT r.id, r.session_id, r.sealed, r.reviewer FROM reviews r JOIN "
                        "interviews i ON i.session_id = r.session_id WHERE i.owner = "
                        "current_user ORDER BY r.created, r.id").fetchall()
    local = set(store.session_ids())
    by_session: dict[str, list] = {}
    for review_id, session_id, sealed, reviewer in rows:
        if session_id in local:
            by_session.setdefault(session_id, []).append((review_id, sealed, reviewer))
    for session_id, reviews in by_session.items():
        try:
            saved = SavedSession.resume(store, library, session_id)
        except SessionBusy:
            problems.append(f"session {session_id} is open in another window: its review is "
                            "received at the next sync")
            continue
        except InterviewError as exc:
            problems.append(f"session {session_id}: {exc}")
            continue
        try:
            held = set(saved.session.record.reviews)
            for review_id, sealed, reviewer in reviews:
                try:
                    review = unseal(saved.log.key, session_id, review_id, sealed)
                    if review in held:
                        continue
                    # The row's reviewer is the database's (its policy: session_user); the name
                    # sealed inside is the sender's word: one supervisor signing as another is
                    # refused (the second review, B2).
                    if getattr(review, "reviewer", "") and review.reviewer != reviewer:
                        problems.append(f"review {review_id}: it names {review.reviewer} as "
                                        f"its reviewer, but {reviewer} sent it: not received; "
                                        "tell the county's administrator")
                        continue
                    saved.session.receive_review(review)
                except InterviewError as exc:
                    problems.append(f"review {review_id}: {exc}")
                    continue
                except Exception as exc:  # noqa: BLE001 - that review's problem, not the sync's
                    from interview.county.handoffs import unreadable

                    problems.append(unreadable(f"review {review_id}", exc))
                    continue
                held.add(review)
                store.audit.append("review_received", session_id,
                                   f"review {review_id} by {reviewer}")
                conn.execute("INSERT INTO county_reads (action, session_id) VALUES "
                             "('review_received', %s)", (session_id,))
                received.append(session_id)
        finally:
            saved.close()
