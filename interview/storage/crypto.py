"""The cryptography of the store, in one place: `cryptography`'s primitives, composed.

- The passphrase is stretched with scrypt (N=2^17, r=8, p=1: OWASP's minimum for scrypt) and a
  random 16-byte salt per store into a key-encryption key.
- That key wraps a random 256-bit store key (AES-256-GCM). Changing the passphrase makes a new
  store key and re-wraps every session's data key under it (see store.py).
- The store key wraps a random 256-bit data key per session, and seals the store's state (the
  deleted sessions, the audit trail's head). Deleting a session destroys its wrapped data key,
  after which its events cannot be decrypted by anyone.
- Every event is padded to a fixed size, then sealed with AES-256-GCM under its session's data
  key, a fresh 96-bit nonce, and associated data naming the session and the event's position,
  so records cannot be moved, reordered or swapped between sessions without detection.

Every use of a key names its purpose in the associated data ("event", "meta", "mark",
"session-key", "store-key", "state"), so nothing sealed for one purpose opens as another.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
KEY_BYTES, NONCE_BYTES, SALT_BYTES, TAG_BYTES = 32, 12, 16, 16


class DecryptionFailed(Exception):
    """Wrong key, or data altered: AES-GCM's tag did not verify."""


@lru_cache(maxsize=1)
def _primitives():
    """`cryptography`, imported on first use: the unlock screen is up before it is needed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return AESGCM, Scrypt, InvalidTag


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)  # what AESGCM.generate_key(bit_length=256) returns


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R,
           p: int = SCRYPT_P) -> bytes:
    """The key-encryption key for a passphrase (memory-hard: about 128 MiB at N=2^17)."""
    scrypt = _primitives()[1]
    return scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce || ciphertext-and-tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _primitives()[0](key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < NONCE_BYTES + 16:
        raise DecryptionFailed("too short")
    aesgcm, _, invalid_tag = _primitives()
    try:
        return aesgcm(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except invalid_tag:
        raise DecryptionFailed("tag did not verify") from None
