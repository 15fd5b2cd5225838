"""The class server against the audit's finding 11: what a request says (its Origin header) is
shown to the trainer as plain text, cut short: no C1 controls (8-bit CSI, OSC), no bidirectional
overrides, no bytes that are not text. Any computer on the classroom network can send it, before
any class code."""

from __future__ import annotations

import asyncio
import io
import sys

import pytest
from aiohttp.test_utils import TestServer

from interview.practice.serve import ClassServer

PRACTICE = [sys.executable, "-m", "interview", "practice", "start", "at_risk_only"]
# The audit's header: 8-bit CSI "2J" (clear the screen), OSC "0;" (set the window title), the
# string terminator, then a right-to-left override that shows "class code" backwards.
EVIL = b"http://x\xc2\x9b2J\xc2\x9d0;C1 title\xc2\x9c \xe2\x80\xaeedoc ssalc \xe2\x80\xac"
UNSAFE = "\x9b\x9d\x9c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x1b\x07\udc9b"


def refused_with(origin: bytes) -> tuple[bytes, str]:
    """Send one request with this Origin header, as the audit's script did (raw bytes on a
    socket): the server's answer's status line, and what the trainer's terminal was shown."""

    async def go():
        out = io.StringIO()
        server = ClassServer(PRACTICE, host="0.0.0.0", port=8000, max_trainees=30, out=out)
        async with TestServer(server.application(), host="127.0.0.1") as site:
            reader, writer = await asyncio.open_connection("127.0.0.1", site.port)
            writer.write(b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: " % site.port
                         + origin + b"\r\nConnection: close\r\n\r\n")
            await writer.drain()
            status = (await reader.readline()).strip()
            writer.close()
        return status, out.getvalue()

    return asyncio.run(go())


def test_an_origin_with_c1_controls_and_a_bidi_override_reaches_the_trainer_as_text():
    status, shown = refused_with(EVIL)
    assert status.startswith(b"HTTP/1.1 403")
    line = next(line for line in shown.splitlines() if "another site" in line)
    assert not set(line) & set(UNSAFE), ascii(line)
    assert line == "refused a request from another site (http://x2J0;C1 title edoc ssalc)"


@pytest.mark.parametrize("origin", [
    b"http://x\x9b2J",                      # a lone C1 byte: not UTF-8 at all
    b"http://" + b"\xe2\x80\xae" * 400,     # a long header of overrides
    b"http://evil.example/" + b"a" * 5000,  # a long header
    b"http://x\tsecond\t\tcolumn",          # tabs
], ids=["lone-c1-byte", "overrides", "long", "tabs"])
def test_any_origin_is_shown_on_one_line_as_text_and_cut_short(origin):
    status, shown = refused_with(origin)
    if not status.startswith(b"HTTP/1.1 403"):  # (aiohttp refuses some headers itself: 400)
        assert "another site" not in shown
        return
    line = next(line for line in shown.splitlines() if "another site" in line)
    assert not set(line) & set(UNSAFE), ascii(line)
    assert "\t" not in line and len(line) <= len("refused a request from another site ()") + 100
