"""`practice serve` as an attacker sees it: the class server over HTTP and websockets, without a
browser (tests/test_practice_browser.py has the browsers). Each defence is tried by the attack it
stops: no code, a wrong code, guessing codes, a forged Host, another site's Origin, one trainee
more than the cap."""

from __future__ import annotations

import asyncio
import io
import re
import socket
import sys

import pytest
from aiohttp import ClientSession, CookieJar, WSMsgType
from aiohttp.test_utils import TestServer

from interview.practice.serve import ClassServer, parse_host, shown_code, typed_code

PRACTICE = [sys.executable, "-m", "interview", "practice", "start", "at_risk_only"]


def serve(test, max_trainees: int = 30, command=PRACTICE):
    """Run `test(server, base_url, http)` against a class server on 127.0.0.1."""

    async def go():
        server = ClassServer(command, host="0.0.0.0", port=8000, max_trainees=max_trainees,
                             out=io.StringIO())
        async with TestServer(server.application(), host="127.0.0.1") as site:
            base = f"http://127.0.0.1:{site.port}"
            # unsafe=True: keep cookies of an IP address, as a browser does
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
                await test(server, base, http)

    asyncio.run(go())


async def join(server, base, http) -> str:
    """Give the right code the way a trainee's link does; return the page the browser gets."""
    async with http.get(f"{base}/?code={shown_code(server.code).lower()}",
                        allow_redirects=False) as r:
        assert r.status == 303 and r.headers["Location"] == "/"
        cookie = r.cookies[server.cookie]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
    async with http.get(f"{base}/") as r:
        assert r.status == 200
        return await r.text()


async def drawn(ws, wanted: str, timeout: float = 60) -> str:
    """The terminal output of a websocket until it contains `wanted`."""
    text = ""
    async with asyncio.timeout(timeout):
        while wanted not in text:
            message = await ws.receive()
            if message.type == WSMsgType.BINARY:
                text += re.sub(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", "", message.data.decode("utf-8",
                                                                                       "replace"))
            elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
                raise AssertionError(f"closed before {wanted!r} came; got {text[-300:]!r}")
    return text


async def all_gone(server, timeout: float = 30) -> None:
    """Wait until every practice process of the server is gone."""
    async with asyncio.timeout(timeout):
        while server.trainees:
            await asyncio.sleep(0.05)


# --- the class code ------------------------------------------------------------------------------

def test_without_the_code_nothing_is_served_but_a_page_saying_to_ask_the_trainer():
    async def test(server, base, http):
        async with http.get(f"{base}/") as r:
            page = await r.text()
            assert r.status == 403 and "Ask the trainer for the class code" in page
            assert "textual.js" not in page and "/ws" not in page and server.code not in page
        for path in ("/static/js/textual.js", "/static/css/xterm.css", "/ws", "/download/x"):
            async with http.get(f"{base}{path}") as r:
                assert r.status in (403, 404), path
                assert "function" not in await r.text()
        async with http.get(f"{base}/ws", headers={"Origin": base, "Connection": "Upgrade",
                                                   "Upgrade": "websocket",
                                                   "Sec-WebSocket-Version": "13",
                                                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
                            ) as r:
            assert r.status == 403 and server.trainees == 0

    serve(test)


def test_a_wrong_code_is_refused_and_guessing_is_slowed_to_a_few_a_minute():
    async def test(server, base, http):
        wrong = "ABCD2345" if server.code != "ABCD2345" else "ABCD2346"
        for _ in range(5):
            async with http.get(f"{base}/?code={wrong}", allow_redirects=False) as r:
                assert r.status == 403 and "not this class's code" in await r.text()
                assert server.cookie not in r.cookies
        # Now even the right code waits: guessing 40 bits at 5 a minute takes 200,000 years.
        async with http.get(f"{base}/?code={server.code}", allow_redirects=False) as r:
            assert r.status == 429 and "Too many wrong codes" in await r.text()
            assert server.cookie not in r.cookies

    serve(test)


def test_the_code_is_forgiving_of_case_spaces_and_dashes_and_the_page_loads_from_its_own_address():
    assert typed_code(" abcd - 2345 ") == "ABCD2345"

    async def test(server, base, http):
        page = await join(server, base, http)
        # The page's script and styles come from its own origin; its websocket from the
        # address this browser used, never 0.0.0.0 (the address served on).
        assert 'src="/static/js/textual.js"' in page
        assert not re.search(r'(src|href)="(https?:)?//', page)
        port = base.rsplit(":", 1)[1]
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        assert "0.0.0.0" not in page and "fonts.googleapis" not in page
        async with http.get(f"{base}/") as r:
            policy = r.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in policy and f"ws://127.0.0.1:{port}" in policy
            assert r.headers["X-Frame-Options"] == "DENY"
        async with http.get(f"{base}/static/js/textual.js") as r:
            assert r.status == 200  # with the cookie
        async with http.get(f"{base}/", headers={"Host": f"localhost:{port}"}) as r:
            assert 'data-session-websocket-url="ws://localhost:' in await r.text()

    serve(test)


# --- Host and Origin -------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "attacker.test.:80",
                                  '127.0.0.1:80"><script>alert(1)</script>', "[::1",
                                  "127.0.0.1:99999", ""])
def test_a_forged_or_rebound_host_gets_the_class_addresses_not_the_app(host):
    async def test(server, base, http):
        await join(server, base, http)
        async with http.get(f"{base}/", headers={"Host": host}) as r:
            page = await r.text()
            assert r.status in (400, 421), r.status
            assert "textual.js" not in page and "<script>alert" not in page
            if r.status == 421:
                assert "answers only at its own address" in page
                assert "evil" not in page

    serve(test)


def test_parse_host_accepts_what_browsers_send_and_nothing_else():
    assert parse_host("192.0.2.2:8000") == ("192.0.2.2", 8000)
    assert parse_host("[fd00::2]:8000") == ("fd00::2", 8000)
    assert parse_host("Trainer-PC.local") == ("trainer-pc.local", None)
    for bad in ("a b", "x:y", "host:0", "[zz]:1", "a/b", "a@b", "-a.example", "a:8000:1"):
        assert parse_host(bad) is None, bad


def test_a_page_from_another_origin_cannot_open_the_websocket_even_with_the_cookie():
    async def test(server, base, http):
        await join(server, base, http)   # the trainer's browser has the class cookie
        port = base.rsplit(":", 1)[1]
        for origin in ("http://evil.example", f"http://localhost:{port}",
                       f"http://127.0.0.1:{int(port) + 1}", "null", f"https://127.0.0.1:{port}"):
            with pytest.raises(Exception) as refused:
                await http.ws_connect(f"{base}/ws", origin=origin)
            assert "403" in str(refused.value), origin
        with pytest.raises(Exception) as refused:   # no Origin at all: not from a page
            await http.ws_connect(f"{base}/ws")
        assert "403" in str(refused.value)
        # A cross-site fetch (or a script, an image) is refused; a link to the class is not.
        for headers in ({"Origin": "http://evil.example"},
                        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"},
                        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}):
            async with http.get(f"{base}/", headers=headers) as r:
                assert r.status == 403, headers
        async with http.get(f"{base}/", headers={"Sec-Fetch-Site": "cross-site",
                                                 "Sec-Fetch-Mode": "navigate"}) as r:
            assert r.status == 200
        assert server.trainees == 0
        assert "refused" in server.out.getvalue()

    serve(test)


# --- the practice process ------------------------------------------------------------------------

def test_the_page_s_own_origin_with_the_code_drives_a_practice_app_which_survives_junk():
    async def test(server, base, http):
        await join(server, base, http)
        async with http.ws_connect(f"{base}/ws?width=100000&height=-5", origin=base) as ws:
            await drawn(ws, "Practice mode (CSEC 101)")
            assert server.trainees == 1
            for junk in ("not json", "[]", '["stdin", 5]', '["resize", "big"]', '{"a": 1}',
                         '["resize", {"width": 99999999, "height": 99999999}]',
                         "[" * 5000):  # too deep to decode: it ended the relay
                await ws.send_str(junk)
            await ws.send_json(["ping", "x"])
            await ws.send_json(["stdin", "Ana\r"])   # the name, then Enter: the hint changes
            await drawn(ws, "Now choose the scenario")
        await all_gone(server)   # the process was stopped with the page

    serve(test)


def test_one_trainee_more_than_the_cap_is_told_the_class_is_full():
    async def test(server, base, http):
        await join(server, base, http)
        async with http.ws_connect(f"{base}/ws", origin=base) as first:
            await drawn(first, "Practice mode (CSEC 101)")
            async with http.get(f"{base}/") as r:
                assert r.status == 503 and "The class is full: 1 trainees" in await r.text()
            # A browser that loaded the page before the class filled up is told in its terminal.
            async with http.ws_connect(f"{base}/ws", origin=base) as second:
                text = await drawn(second, "Ask the trainer")
                assert "The class is full" in text and server.trainees == 1
        await all_gone(server)
        async with http.get(f"{base}/") as r:
            assert r.status == 200   # a place is free again

    serve(test, max_trainees=1)


# --- the command line -----------------------------------------------------------------------------

def test_serve_checks_its_arguments_before_serving(cli, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = cli("practice", "serve", "--host", "127.0.0.1", "--port", port)
        assert code == 1 and "the port is in use" in err and "Traceback" not in err
    for args, message in [
            (("--port", "70000"), "--port 70000: give a port from 1 to 65535"),
            (("--max-trainees", "0"), "--max-trainees 0: give a number from 1 to 500"),
            (("nosuch",), "nosuch"),
            (("--results", tmp_path), "is a folder"),
            (("--trainee", "Ana"), "each trainee types their name in the browser")]:
        code, out, err = cli("practice", "serve", *args)
        assert code == 1 and message in err, (args, err)
        assert out == ""


def test_the_trainer_is_shown_the_code_and_the_addresses_a_browser_can_use():
    server = ClassServer(PRACTICE, host="0.0.0.0", port=8123, max_trainees=2, out=io.StringIO())
    server.announce()
    told = server.out.getvalue()
    assert f"Class code: {shown_code(server.code)}" in told
    assert f":8123/?code={shown_code(server.code)}" in told and "0.0.0.0" not in told


def test_a_results_file_that_is_not_class_results_is_refused_before_the_class(cli, tmp_path):
    """A typo must not make practice append to the store (or anything else) for a whole class."""
    store = tmp_path / "store.json"
    store.write_text('{"version": 1, "salt": "..."}\n')
    code, out, err = cli("practice", "serve", "--results", store)
    assert code == 1 and "not a class results file" in err
    assert store.read_text() == '{"version": 1, "salt": "..."}\n'
