"""The county review key and the wrapping of interview data keys to it.

The county key is an X25519 pair. Its private half is written once, to a file sealed under a
passphrase (scrypt + AES-256-GCM, as the store key: interview/storage/crypto.py), 0600, never
overwritten. Its public half is in the database's county_keys, named by an id (the first 16 hex
digits of its fingerprint, the SHA-256 of the 32 public bytes).

A laptop's sync makes one ephemeral X25519 pair (`Wrapper`) and derives one key-encryption key

    KEK = HKDF-SHA256(ECDH(ephemeral private, county public),
                      info = "csec county wrap" 0 county key id 0 ephemeral public county public)

then seals each interview's data key under it (AES-GCM; "county-wrap" 0 session id in the
associated data: a wrapped key moved to another interview does not open) and each interview's
summary (storage/summary.py's fixed-size format). The county side (`Unwrapper`) does one X25519
per wrap, cached, then one AES-GCM per interview.

Public (stable): CountyKey, new_county_key(), write_private(), load_county_private(),
fingerprint(), key_id(), normal_fingerprint(), Wrapper, Unwrapper, unwrap_data_keys().
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from interview import jsonin
from interview.county.db import CountyError
from interview.storage import crypto, summary

FILE_FORMAT = "csec-interview county key"
INFO = b"csec county wrap"


def fingerprint(public: bytes) -> str:
    """The SHA-256 of a county public key, 64 hex digits (what people compare)."""
    return hashlib.sha256(bytes(public)).hexdigest()


def key_id(public: bytes) -> str:
    return fingerprint(public)[:16]


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed (spaces, colons, capitals) in its 64-hex form."""
    return "".join(c for c in text.lower() if c in "0123456789abcdef")


def spaced(fp: str) -> str:
    """A fingerprint in groups of four, easier to read aloud and compare."""
    return " ".join(fp[i:i + 4] for i in range(0, len(fp), 4))


def x25519():
    from cryptography.hazmat.primitives.asymmetric import x25519

    return x25519


def raw_public(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class CountyKey:
    """The county's private key, opened (only where the county reads: never on a laptop)."""

    id: str
    public: bytes
    private: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def new_county_key() -> CountyKey:
    from cryptography.hazmat.primitives import serialization

    private = x25519().X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = raw_public(private.public_key())
    return CountyKey(key_id(public), public, raw)


def _private_aad(kid: str) -> bytes:
    return b"county-private\0" + kid.encode()


def write_private(path: Path, key: CountyKey, passphrase: str, n: int | None = None) -> None:
    """The private key to a new file (0600), sealed under the passphrase; an existing file is
    never replaced (it may be the only copy of the key that opens every interview)."""
    from interview.storage.errors import check_new_passphrase

    check_new_passphrase(passphrase)
    n = n or crypto.SCRYPT_N
    path = Path(path)
    salt = crypto.new_salt()
    kek = crypto.derive(passphrase, salt, n=n)
    body = json.dumps({
        "format": FILE_FORMAT, "version": 1, "id": key.id, "public": crypto.b64(key.public),
        "fingerprint": key.fingerprint,
        "kdf": {"name": "scrypt", "n": n, "r": crypto.SCRYPT_R, "p": crypto.SCRYPT_P,
                "salt": crypto.b64(salt)},
        "private": crypto.b64(crypto.seal(kek, key.private, _private_aad(key.id))),
    }, indent=1).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        raise CountyError(f"{path} exists already: the county key is never written over (it "
                          "may be the only copy that opens the county's interviews); choose "
                          "another --key-out") from None
    except OSError as exc:
        raise CountyError(f"{path}: cannot write the county key: {exc.strerror}") from None
    try:
        from interview.storage.files import write_all

        write_all(fd, body)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise CountyError(f"{path}: cannot write the county key: {exc.strerror}") from None
    os.close(fd)


def load_county_private(path: Path, passphrase: str) -> CountyKey:
    """The county key from its file; one CountyError when it is not one, or the passphrase
    does not open it."""
    path = Path(path)
    try:
        data = jsonin.loads(path.read_bytes()[:1 << 16])
        if data.get("format") != FILE_FORMAT:
            raise ValueError
        kdf = data["kdf"]
        n = int(kdf["n"])
        if not 2 <= n <= 1 << 20 or n & (n - 1):
            raise ValueError
        kid, public = str(data["id"]), crypto.unb64(data["public"])
        sealed, salt = crypto.unb64(data["private"]), crypto.unb64(kdf["salt"])
    except FileNotFoundError:
        raise CountyError(f"{path}: no such file (the county key file `county init "
                          "--key-out` wrote)") from None
    except IsADirectoryError:
        raise CountyError(f"{path}: is a folder, not the county key file") from None
    except OSError as exc:
        raise CountyError(f"{path}: cannot read the county key: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CountyError(f"{path}: is not a county key file (the file `county init "
                          "--key-out` writes)") from None
    kek = crypto.derive(passphrase, salt, n=n, r=int(kdf.get("r", crypto.SCRYPT_R)),
                        p=int(kdf.get("p", crypto.SCRYPT_P)))
    try:
        private = crypto.open_sealed(kek, sealed, _private_aad(kid))
    except crypto.DecryptionFailed:
        raise CountyError(f"{path}: the passphrase does not open the county key (or the file "
                          "was altered)") from None
    check = raw_public(x25519().X25519PrivateKey.from_private_bytes(private).public_key())
    if check != public or key_id(public) != kid:
        raise CountyError(f"{path}: the county key file is damaged (its halves do not match)")
    return CountyKey(kid, public, private)


def derive_kek(shared: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 of an X25519 shared secret, bound to `info` (the county's wraps and the
    handoffs both use it). ValueError for a low-order point: no secret was agreed."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if shared == bytes(32):
        raise ValueError("degenerate key agreement")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def _kek(shared: bytes, county_id: str, ephemeral: bytes, county_public: bytes) -> bytes:
    return derive_kek(shared, INFO + b"\0" + county_id.encode() + b"\0" + ephemeral
                      + county_public)


def _wrap_aad(session_id: str) -> bytes:
    return b"county-wrap\0" + session_id.encode()


class Wrapper:
    """One sync's ephemeral key: wraps data keys and seals summaries for the county."""

    def __init__(self, county_id: str, county_public: bytes):
        county_public = bytes(county_public)
        if key_id(county_public) != county_id:
            raise CountyError("the county key's id does not match its public key: the "
                              "database's county_keys row is damaged or forged")
        private = x25519().X25519PrivateKey.generate()
        self.ephemeral = raw_public(private.public_key())
        shared = private.exchange(x25519().X25519PublicKey.from_public_bytes(county_public))
        self.kek = _kek(shared, county_id, self.ephemeral, county_public)
        self.county_id = county_id
        self.id = secrets.token_hex(16)  # the wraps row

    def wrap(self, session_id: str, data_key: bytes) -> bytes:
        return crypto.seal(self.kek, data_key, _wrap_aad(session_id))

    def seal_summary(self, session_id: str, bound: dict) -> bytes:
        return summary.seal(self.kek, session_id, bound)


class Unwrapper:
    """The county side: one X25519 per wrap (cached), then AES-GCM per interview."""

    def __init__(self, key: CountyKey):
        self.key = key
        self._keks: dict[tuple[str, bytes], bytes | None] = {}

    def kek(self, county_id: str, ephemeral: bytes) -> bytes | None:
        """The KEK of a wrap; None when it was made for another county key or is not one."""
        ephemeral = bytes(ephemeral)
        cached = self._keks.get((county_id, ephemeral), False)
        if cached is not False:
            return cached
        kek = None
        if county_id == self.key.id and len(ephemeral) == 32:
            private = x25519().X25519PrivateKey.from_private_bytes(self.key.private)
            try:
                shared = private.exchange(x25519().X25519PublicKey.from_public_bytes(ephemeral))
                kek = _kek(shared, county_id, ephemeral, self.key.public)
            except ValueError:
                kek = None
        self._keks[(county_id, ephemeral)] = kek
        return kek

    def data_key(self, session_id: str, county_id: str, ephemeral: bytes,
                 wrapped: bytes) -> bytes | None:
        """An interview's data key; None when it does not open (another county key, altered,
        or wrapped for another interview)."""
        kek = self.kek(county_id, ephemeral)
        if kek is None:
            return None
        try:
            return crypto.open_sealed(kek, bytes(wrapped), _wrap_aad(session_id))
        except crypto.DecryptionFailed:
            return None

    def summary(self, session_id: str, county_id: str, ephemeral: bytes,
                sealed: bytes) -> dict | None:
        """An interview's county summary {"events", "last", "size", "data"}; None when it does
        not open."""
        kek = self.kek(county_id, ephemeral)
        if kek is None:
            return None
        try:
            return summary.unseal(kek, session_id, bytes(sealed))
        except ValueError:
            return None


def unwrap_data_keys(key: CountyKey, rows) -> dict[str, bytes]:
    """{session id: data key} for rows of (session_id, county key id, ephemeral, wrapped_key)
    (interviews joined with wraps); a row that does not open is left out."""
    unwrapper = Unwrapper(key)
    out = {}
    for session_id, county_id, ephemeral, wrapped in rows:
        data_key = unwrapper.data_key(session_id, county_id, ephemeral, wrapped)
        if data_key is not None:
            out[session_id] = data_key
    return out
