"""Practice mode in a browser: `csec-interview practice serve` (textual-serve), loaded in headless
Chromium. Skipped without Chromium unless CSEC_INTERVIEW_REQUIRE_BROWSER is set (CI), where a
missing browser fails."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import time
import zlib

import pytest

from browser import chromium, screenshot
from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png_colors(data: bytes) -> int:
    """How many distinct colours an 8-bit RGB(A) PNG has (a blank page has one or two)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, prev, colours = zlib.decompress(idat), width * bpp, bytearray(width * bpp), set()
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                cur[i] = (cur[i] + a) & 255
            elif kind == 2:
                cur[i] = (cur[i] + b) & 255
            elif kind == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            colours.update(bytes(cur[i:i + 3]) for i in range(0, stride, bpp * 2))
        prev = cur
    return len(colours)


def test_a_class_can_use_practice_mode_in_a_browser(tmp_path, artifact):
    chromium()
    port = free_port()
    results = tmp_path / "class.jsonl"
    server = subprocess.Popen(
        [sys.executable, "-m", "interview", "practice", "serve", "--port", str(port),
         "--results", str(results)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the practice server did not start")
        # Wait until the app's first frames have arrived over the websocket (textual-serve
        # marks the page), then until they are painted and the start dialog has faded.
        png, dom = screenshot(f"http://localhost:{port}/", tmp_path / "profile",
                              ready="document.body.classList.contains('-first-byte')",
                              settle=2.5, size=(1000, 700))
        shot = tmp_path / "practice.png"
        shot.write_bytes(png)
        artifact(shot, "screenshot of practice mode in a browser (headless Chromium)")
        assert "Practice interview (CSEC 101)" in dom       # the page of the practice app
        assert "-first-byte" in dom                          # the app drew its first screen
        assert png_colors(png) > 20, "the screenshot is blank"
    finally:
        server.terminate()
        server.wait(timeout=10)
