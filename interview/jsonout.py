"""JSON printed for scripts and people: orjson, because findings are tens of kilobytes and the
standard encoder took most of `assess`'s time (issue 15); and safe on a terminal: C1 control
characters and the bidirectional overrides a user may have typed are written as \\u escapes,
never raw (JSON escapes the C0 controls itself)."""

from __future__ import annotations

import re
import sys
from typing import Any

# U+0080-U+009F (U+009B is a one-byte CSI on some terminals), U+2028/U+2029, and the bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), as UTF-8; DEL is one byte.
_UNSAFE_C2 = re.compile(rb"\xc2[\x80-\x9f]")
_UNSAFE_E2 = re.compile(rb"\xe2(?:\x80[\xa8-\xae]|\x81[\xa6-\xa9])")
_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Every ASCII byte but DEL. orjson writes valid UTF-8, where the bytes of a multi-byte character
# are never ASCII: with these deleted, each character's bytes stay together, so the patterns
# above match the (much shorter) rest exactly where they match the whole output.
_ASCII_BUT_DEL = bytes(range(0x7f))


def dumps(obj: Any, pretty: bool = True) -> bytes:
    """UTF-8 JSON. The cheap byte checks find nothing in almost every output; only then is the
    text decoded and escaped."""
    import orjson

    out = orjson.dumps(obj, option=orjson.OPT_INDENT_2 if pretty else 0)
    if out.isascii():
        unsafe = b"\x7f" in out
    else:
        rest = out.translate(None, _ASCII_BUT_DEL)
        unsafe = b"\x7f" in rest or bool(_UNSAFE_C2.search(rest) or _UNSAFE_E2.search(rest))
    if unsafe:
        out = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out.decode()).encode()
    return out


def print_json(obj: Any, pretty: bool = True) -> None:
    out = dumps(obj, pretty) + b"\n"
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(out.decode())
    else:
        buffer.write(out)
        buffer.flush()
