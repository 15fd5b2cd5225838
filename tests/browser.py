"""Headless Chromium for the browser checks, driven over the DevTools protocol, so a test can
wait until a page is really drawn (a websocket app paints after load) before it looks or types.

Chromium is Debian's (`.ci/run` installs it). A test skips without it, unless
CSEC_INTERVIEW_REQUIRE_BROWSER is set (CI), where a missing browser fails.

- `screenshot(url, ...)`: one page, once a JavaScript expression is true: (PNG, DOM).
- `Chromium`: one browser with as many isolated pages as a test wants (each in its own browser
  context: its own cookies, like separate computers), each able to type, press keys and wait
  for text that the practice app drew in its terminal.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]

# What a textual-serve page's terminal receives, as text: the bytes of each websocket message
# decoded, kept in `window.__terminal` (escape sequences are removed when it is read).
RECORD_TERMINAL = r"""
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__terminal = "";
  window.__sockets = [];
  function Recorded(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    window.__sockets.push(ws);
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__terminal += decoder.decode(new Uint8Array(event.data), {stream: true});
        if (window.__terminal.length > 2000000) window.__terminal = window.__terminal.slice(-1000000);
      }
    });
    return ws;
  }
  Recorded.prototype = Native.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Recorded[k] = Native[k];
  window.WebSocket = Recorded;
})();
"""
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
KEYS = {"enter": ("Enter", "Enter", 13, "\r"), "escape": ("Escape", "Escape", 27, ""),
        "tab": ("Tab", "Tab", 9, "")}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CSEC_INTERVIEW_REQUIRE_BROWSER"):
            pytest.fail("CSEC_INTERVIEW_REQUIRE_BROWSER is set but Chromium is not installed")
        pytest.skip("Chromium is not installed (CI installs it; set "
                    "CSEC_INTERVIEW_REQUIRE_BROWSER=1 to make this a failure)")
    return found


def terminal_text(raw: str) -> str:
    """What a terminal shows of `raw`, roughly: the text without escape sequences."""
    return ESCAPES.sub("", raw)


class Page:
    """One tab in its own browser context."""

    def __init__(self, browser: "Chromium", session: str, timeout: float):
        self.browser, self.session, self.timeout = browser, session, timeout
        self.seen = 0  # how much of the terminal's text `wait_for_text` already looked at

    async def call(self, method: str, **params):
        return await self.browser.call(method, session=self.session, **params)

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                                 awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def wait(self, expression: str, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or self.timeout)
        while not await self.evaluate(f"Boolean({expression})"):
            if time.monotonic() > deadline:
                raise AssertionError(f"not true within {timeout or self.timeout} s: {expression}")
            await asyncio.sleep(0.1)

    async def terminal(self) -> str:
        return terminal_text(await self.evaluate("window.__terminal || ''"))

    async def wait_for_text(self, *texts: str, timeout: float | None = None) -> str:
        """Wait until the app has sent one of `texts` to the terminal since the last wait;
        return the one that came."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            text = await self.terminal()
            recent = text[self.seen:]
            for wanted in texts:
                if wanted in recent:
                    self.seen = len(text)
                    return wanted
            if time.monotonic() > deadline:
                raise AssertionError(f"none of {texts} was drawn within "
                                     f"{timeout or self.timeout} s; last drawn: {recent[-600:]!r}")
            await asyncio.sleep(0.1)

    async def focus_terminal(self) -> None:
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def press(self, key: str) -> None:
        """A key: "enter", "escape", "tab", or "ctrl+X" for a letter X."""
        if key.startswith("ctrl+"):
            letter = key[5:]
            name, code, vk, text, modifiers = letter, f"Key{letter.upper()}", ord(letter.upper()), "", 2
        else:
            (name, code, vk, text), modifiers = KEYS[key], 0
        event = {"key": name, "code": code, "windowsVirtualKeyCode": vk, "modifiers": modifiers}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **event)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **event)

    async def screenshot(self) -> bytes:
        return base64.b64decode((await self.call("Page.captureScreenshot", format="png"))["data"])


class Chromium:
    """`async with Chromium(profile) as browser: page = await browser.page()`."""

    def __init__(self, profile: Path, timeout: float = 60, size: tuple[int, int] = (1000, 700)):
        self.profile, self.timeout, self.size = profile, timeout, size
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future] = {}

    async def __aenter__(self) -> "Chromium":
        import aiohttp

        self.proc = subprocess.Popen(
            [chromium(), *FLAGS, "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             f"--window-size={self.size[0]},{self.size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file, deadline = self.profile / "DevToolsActivePort", time.monotonic() + 30
            while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise AssertionError("Chromium did not start its DevTools endpoint")
                await asyncio.sleep(0.05)
            port, path = port_file.read_text().split()
            self.http = aiohttp.ClientSession()
            self.ws = await self.http.ws_connect(f"ws://127.0.0.1:{port}{path}", max_msg_size=0)
        except BaseException:
            self.stop()
            raise
        self.reader = asyncio.create_task(self.read())
        return self

    async def __aexit__(self, *exc) -> None:
        self.reader.cancel()
        await self.ws.close()
        await self.http.close()
        self.stop()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    async def read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            future = self.waiting.pop(data.get("id"), None)
            if future is not None and not future.done():
                future.set_result(data)
        for future in self.waiting.values():
            future.set_exception(AssertionError("Chromium closed the DevTools connection"))

    async def call(self, method: str, session: str | None = None, **params):
        n = next(self.ids)
        self.waiting[n] = future = asyncio.get_running_loop().create_future()
        message = {"id": n, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        data = await asyncio.wait_for(future, self.timeout)
        if "error" in data:
            raise AssertionError(f"{method}: {data['error']}")
        return data["result"]

    async def page(self, record_terminal: bool = False) -> Page:
        """A new tab in a new browser context (its own cookies and storage)."""
        context = (await self.call("Target.createBrowserContext"))["browserContextId"]
        target = (await self.call("Target.createTarget", url="about:blank",
                                  browserContextId=context, width=self.size[0],
                                  height=self.size[1]))["targetId"]
        session = (await self.call("Target.attachToTarget", targetId=target,
                                   flatten=True))["sessionId"]
        page = Page(self, session, self.timeout)
        await page.call("Page.enable")
        await page.call("Emulation.setDeviceMetricsOverride", width=self.size[0],
                        height=self.size[1], deviceScaleFactor=1, mobile=False)
        if record_terminal:
            await page.call("Page.addScriptToEvaluateOnNewDocument", source=RECORD_TERMINAL)
        return page


async def _page(url: str, profile: Path, ready: str, settle: float, timeout: float,
                size: tuple[int, int], probe: str = "") -> tuple:
    async with Chromium(profile, timeout, size) as browser:
        page = await browser.page()
        await page.goto(url)
        await page.wait(ready)
        await asyncio.sleep(settle)  # let what arrived be painted
        if probe:  # a value the page computes, and the page printed as a PDF
            value = await page.evaluate(probe)
            pdf = await page.call("Page.printToPDF", preferCSSPageSize=True)
            return value, base64.b64decode(pdf["data"])
        return await page.screenshot(), await page.evaluate("document.documentElement.outerHTML")


def screenshot(url: str, profile: Path, ready: str = "document.readyState === 'complete'",
               settle: float = 0.5, timeout: float = 60,
               size: tuple[int, int] = (1000, 700)) -> tuple[bytes, str]:
    """(PNG bytes, the DOM) of `url` once the JavaScript expression `ready` is true."""
    return asyncio.run(_page(url, profile, ready, settle, timeout, size))


def printed(url: str, profile: Path, probe: str, timeout: float = 60):
    """(the value of the JavaScript expression `probe`, the page printed to PDF)."""
    return asyncio.run(_page(url, profile, "document.readyState === 'complete'", 0.3, timeout,
                             (1000, 700), probe))
