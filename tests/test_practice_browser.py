"""A class in browsers: `csec-interview practice serve` in headless Chromium. Skipped without
Chromium unless CSEC_INTERVIEW_REQUIRE_BROWSER is set (CI), where a missing browser fails.

The class server is bound to 0.0.0.0 and reached at an address other than localhost, as the
trainees' computers reach it: as root (CI), the server runs in a network namespace of the test's
own, joined to this one by a veth pair, so the browser is on "another machine" (10.x.y.1 to
10.x.y.2); otherwise at this machine's own non-loopback address.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from browser import Chromium, chromium
from conftest import ROOT

SCENARIO = "at_risk_only"


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


# --- the class server, on an address of its own ---------------------------------------------------

def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=30)


@contextlib.contextmanager
def network_namespace():
    """A network namespace with a veth pair: (the command prefix that runs inside it, the
    server's address there). Needs root and iproute2."""
    name = f"csec{os.getpid() % 100000}"
    net = f"10.{200 + os.getpid() % 50}.{os.getpid() % 250}"
    _run("ip", "netns", "add", name)
    try:
        _run("ip", "link", "add", f"{name}h", "type", "veth", "peer", "name", f"{name}n")
        _run("ip", "link", "set", f"{name}n", "netns", name)
        _run("ip", "addr", "add", f"{net}.1/30", "dev", f"{name}h")
        _run("ip", "link", "set", f"{name}h", "up")
        inside = ["ip", "netns", "exec", name]
        _run(*inside, "ip", "addr", "add", f"{net}.2/30", "dev", f"{name}n")
        _run(*inside, "ip", "link", "set", f"{name}n", "up")
        _run(*inside, "ip", "link", "set", "lo", "up")
        yield inside, f"{net}.2"
    finally:
        subprocess.run(["ip", "link", "del", f"{name}h"], capture_output=True, timeout=30)
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30)


@pytest.fixture
def elsewhere():
    """How to run the class server so that a browser reaches it at another address than
    localhost: (command prefix, the address the browser uses, how)."""
    if os.geteuid() == 0 and shutil.which("ip"):
        try:
            with network_namespace() as (prefix, address):
                yield prefix, address, "a network namespace joined by a veth pair"
                return
        except subprocess.CalledProcessError:
            pass  # no namespaces here (a container without the right): this machine's address
    from interview.practice.serve import lan_addresses

    addresses = lan_addresses()
    if not addresses:
        if os.environ.get("CSEC_INTERVIEW_REQUIRE_BROWSER"):
            pytest.fail("no address other than localhost to reach the class server at")
        pytest.skip("this machine has no address but localhost")
    yield [], addresses[0], "this machine's non-loopback address"


@contextlib.contextmanager
def class_server(tmp_path, *options: str, prefix=(), host="0.0.0.0"):
    """`practice serve` running; yields (the class code, the process, its output so far)."""
    port = free_port()
    server = subprocess.Popen(
        [*prefix, sys.executable, "-m", "interview", "practice", "serve", SCENARIO, "--host",
         host, "--port", str(port), *options], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        for line in server.stdout:
            output.append(line)
            if "Press Ctrl+C" in line:
                break
        told = "".join(output)
        found = re.search(r"Class code: ([A-Z0-9]{4}-[A-Z0-9]{4})", told)
        assert found, f"the server did not start:\n{told}"
        threading.Thread(target=lambda: output.extend(server.stdout), daemon=True).start()
        yield found.group(1), port, output
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


# --- a class ---------------------------------------------------------------------------------------

async def trainee(page, url: str, name: str, code: str, typed: bool = False,
                  attack: bool = False) -> None:
    """One trainee: joins (typing the code in the page, or with the trainer's link), types a
    name, runs the scenario to the debrief. `attack`: tries issue 12's export keys on the way."""
    await page.goto(url if typed else f"{url}?code={code}")
    if typed:
        await page.wait("document.querySelector('input#code')")
        await page.evaluate("document.querySelector('input#code').focus()")
        await page.type(code.lower().replace("-", " "))
        await page.press("enter")
    await page.wait("document.body && document.body.classList.contains('-first-byte')")
    await page.wait_for_text("Practice mode (CSEC 101)")
    await page.focus_terminal()
    await page.type(name)
    await page.press("enter")
    await page.wait_for_text("Now choose the scenario")
    await page.press("enter")
    await page.wait_for_text("PRACTICE (fictional")
    if attack:
        await page.press("ctrl+l")
        await page.wait_for_text("Findings (practice)")
        await page.type("e")
        await page.wait_for_text("Practice mode exports nothing")
        assert "Export the report" not in await page.terminal()
        await page.press("escape")
        await page.wait_for_text("PRACTICE (fictional")
    await page.press("ctrl+d")
    await page.wait_for_text("End the practice interview?")
    await page.type("y")
    await page.wait_for_text("your determinations")     # the trainee states them
    await page.press("ctrl+s")
    await page.wait_for_text("go on anyway")  # left blank: asked once
    await page.press("ctrl+s")
    await page.wait_for_text("were added")


@pytest.mark.slow
def test_a_class_of_three_on_another_address_each_reaches_the_debrief(tmp_path, artifact,
                                                                       elsewhere):
    """Issue 14's "done when": three trainees in three browsers at another address than
    localhost, each to a debrief; a fourth is told the class is full."""
    chromium()
    prefix, address, how = elsewhere
    results = tmp_path / "class.jsonl"
    with class_server(tmp_path, "--results", str(results), "--max-trainees", "3",
                      prefix=prefix) as (code, port, output):
        url = f"http://{address}:{port}/"

        async def go():
            async with Chromium(tmp_path / "profile", timeout=90) as browser:
                pages = [await browser.page(record_terminal=True) for _ in range(3)]
                await asyncio.gather(
                    trainee(pages[0], url, "Ana", code, typed=True, attack=True),
                    trainee(pages[1], url, "Ben", code),
                    trainee(pages[2], url, "Cleo", code))
                late = await browser.page()
                await late.goto(f"{url}?code={code}")
                await late.wait("document.body && document.body.innerText.includes('full')")
                assert "The class is full: 3 trainees" in await late.evaluate(
                    "document.body.innerText")
                return await pages[0].screenshot()

        png = asyncio.run(go())
    shot = tmp_path / "debrief.png"
    shot.write_bytes(png)
    artifact(shot, f"a trainee's debrief in headless Chromium, served at {address} ({how})")
    assert png_colors(png) > 20, "the screenshot is blank"
    from interview.practice import results as class_results

    rows, skipped = class_results.read(results)
    assert sorted(r["trainee"] for r in rows) == ["Ana", "Ben", "Cleo"] and not skipped
    assert all(r["scenario"] == SCENARIO for r in rows)
    assert "a trainee joined (3 of 3)" in "".join(output)
    assert not list(tmp_path.glob("*.svg")) and not list(tmp_path.glob("*.html"))


# --- another site's page ---------------------------------------------------------------------------

EVIL = """<!DOCTYPE html><title>waiting</title><script>
const ws = new WebSocket("ws://localhost:PORT/ws?width=80&height=24");
ws.binaryType = "arraybuffer";
ws.onopen = () => { document.title = "open"; ws.send(JSON.stringify(["stdin", "Mallory\\r"])); };
ws.onmessage = () => { document.title = "drawn"; };
ws.onclose = () => { if (document.title === "waiting") document.title = "refused"; };
fetch("http://localhost:PORT/").then(r => r.text()).then(
  t => { document.body.dataset.read = t.slice(0, 200); },
  () => { document.body.dataset.read = "blocked"; });
</script><body></body>"""


def test_a_page_from_another_origin_cannot_open_the_websocket_or_drive_the_app(tmp_path):
    """The trainer joined the class in their browser (so it holds the class cookie), then opens a
    page of another origin on the same host (another port: the same site, so the cookie goes
    along): its websocket to the class is refused, and it cannot read the class's page."""
    chromium()
    with class_server(tmp_path, host="localhost") as (code, port, output):
        page_html = EVIL.replace("PORT", str(port)).encode()

        class Evil(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(page_html)

            def log_message(self, *args):
                pass

        evil = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        try:
            async def go():
                async with Chromium(tmp_path / "profile", timeout=60) as browser:
                    page = await browser.page(record_terminal=True)
                    await page.goto(f"http://localhost:{port}/?code={code}")
                    await page.wait_for_text("Practice mode (CSEC 101)")  # the trainer is in
                    await page.goto(f"http://localhost:{evil.server_address[1]}/")
                    await page.wait("location.port === '%d' && document.body && "
                                    "document.title !== 'waiting' && document.body.dataset.read"
                                    % evil.server_address[1])
                    return (await page.evaluate("document.title"),
                            await page.evaluate("document.body.dataset.read"))

            title, read = asyncio.run(go())
        finally:
            evil.shutdown()
    assert title == "refused", title
    assert read == "blocked", read
    told = "".join(output)
    assert f"refused a request from another site (http://localhost:{evil.server_address[1]})" \
        in told, told
    assert told.count("a trainee joined") == 1   # the trainer's own page, nobody else
