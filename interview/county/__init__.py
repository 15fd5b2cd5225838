"""The county database: every worker's laptop syncs to one PostgreSQL the county runs, and the
server never sees what a child said. (psycopg is imported only here, only when used: the app's
start-up does not pay for it.)

Modules: `db` (the connection string and errors said plainly), `schema` (migrations, roles,
`init`, `add_user`), `keys` (the county review key and the wrapping of data keys), `sync` (the
laptop's push). County-read's `county sessions|show|aggregate` and review build on these; the
public names below are stable.

Schema (migrations/NNNN_*.sql, applied in order, recorded in `schema_version`):

    schema_version  version, applied
    county_keys     id (16 hex of the fingerprint), public_key (X25519, 32 bytes),
                    fingerprint (SHA-256 of public_key, 64 hex), created, retired
    workers         role (the person's login role), team, kind worker|supervisor|coordinator,
                    public_key (theirs, for handoffs; may be NULL), created, disabled
    wraps           id, owner, team, county_key, ephemeral (X25519 public, 32 bytes), created:
                    one per sync that wrapped something (see Key wrapping)
    interviews      session_id, owner, team, meta (the log header's sealed flow and start
                    time, as on the laptop), wrap, wrapped_key (the data key for the county),
                    created
    events          session_id, seq, owner, record (exactly as the laptop stored it: padded,
                    sealed with the data key, the session and seq in its associated data);
                    primary key (session_id, seq); append-only
    summaries       session_id, owner, team, events (how many it summarises), wrap, sealed
                    (what the county table needs, sealed for the county: see Key wrapping),
                    updated

Roles: group roles csec_worker, csec_supervisor, csec_coordinator (NOLOGIN); each person is a
LOGIN role in exactly one, with a row in `workers`. Row level security, FORCEd, on every table:
- a worker (or a supervisor for their own interviews) SELECTs and INSERTs only rows whose
  owner = current_user, and INSERTs events only into their own interviews; nobody UPDATEs or
  DELETEs an event (the sync inserts ON CONFLICT DO NOTHING); the owner replaces their summary;
- a supervisor SELECTs the interviews, events, summaries and wraps of their team (their
  `workers` row says which) (county-read's reviews come in migration 0002);
- the coordinator SELECTs summaries and wraps only: never events nor interviews' keys; of each
  interview it learns only its id and its highest seq + 1 (csec_interview_counts(), 0004);
- everyone reads county_keys and schema_version, and the workers rows they may know of.
The superuser (the county's database administrator) runs `county init` and `county add-user`.

Key wrapping (keys.py): the county review key is an X25519 pair; the private key lives only
in the key file `county init` writes (scrypt + AES-GCM under a passphrase, like the store key).
A sync makes one ephemeral X25519 pair and derives
    KEK = HKDF-SHA256(ECDH(ephemeral, county public), info="csec county wrap" + county key id
                      + ephemeral public + county public)
then seals each interview's data key under the KEK with AES-GCM, the session id in the
associated data, and the interview's summary (storage/summary.py's format) under the KEK too.
The ephemeral public key is stored once, in `wraps`. The county side does one X25519 per wrap
(per sync), then one AES-GCM per interview. Laptops pin the county key (its id and fingerprint,
STORE/county.json) on the first sync and refuse a different one until the worker accepts it
(`sync --accept-county-key FINGERPRINT`): a database administrator who swaps in a key of their
own gets nothing.
"""
