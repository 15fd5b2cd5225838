"""Headless Chromium for the browser checks, driven over the DevTools protocol, so a test can
wait until a page is really drawn (a websocket app paints after load) before its screenshot.

Chromium is Debian's (`.ci/run` installs it). A test skips without it, unless
CSEC_INTERVIEW_REQUIRE_BROWSER is set (CI), where a missing browser fails.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CSEC_INTERVIEW_REQUIRE_BROWSER"):
            pytest.fail("CSEC_INTERVIEW_REQUIRE_BROWSER is set but Chromium is not installed")
        pytest.skip("Chromium is not installed (CI installs it; set "
                    "CSEC_INTERVIEW_REQUIRE_BROWSER=1 to make this a failure)")
    return found


async def _page(url: str, profile: Path, ready: str, settle: float, timeout: float,
                size: tuple[int, int], probe: str = "") -> tuple[bytes, str]:
    import aiohttp

    proc = subprocess.Popen([chromium(), *FLAGS, "--remote-debugging-port=0",
                             f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
                             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + timeout
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("Chromium did not start its DevTools endpoint")
            await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        ids = itertools.count(1)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                target = next(t for t in await response.json() if t["type"] == "page")
            async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:

                async def call(method: str, **params):
                    n = next(ids)
                    await ws.send_str(json.dumps({"id": n, "method": method, "params": params}))
                    async for message in ws:
                        data = json.loads(message.data)
                        if data.get("id") == n:
                            if "error" in data:
                                raise AssertionError(f"{method}: {data['error']}")
                            return data["result"]
                    raise AssertionError("Chromium closed the DevTools connection")

                async def evaluate(expression: str):
                    result = await call("Runtime.evaluate", expression=expression,
                                        returnByValue=True)
                    return result["result"].get("value")

                await call("Page.navigate", url=url)
                while not await evaluate(f"Boolean({ready})"):
                    if time.monotonic() > deadline:
                        raise AssertionError(f"the page was not ready in {timeout} s: {ready}")
                    await asyncio.sleep(0.2)
                await asyncio.sleep(settle)  # let what arrived be painted
                if probe:  # a value the page computes, and the page printed as a PDF
                    value = await evaluate(probe)
                    pdf = await call("Page.printToPDF", preferCSSPageSize=True)
                    return value, base64.b64decode(pdf["data"])
                shot = await call("Page.captureScreenshot", format="png")
                dom = await evaluate("document.documentElement.outerHTML")
        return base64.b64decode(shot["data"]), dom
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def screenshot(url: str, profile: Path, ready: str = "document.readyState === 'complete'",
               settle: float = 0.5, timeout: float = 60,
               size: tuple[int, int] = (1000, 700)) -> tuple[bytes, str]:
    """(PNG bytes, the DOM) of `url` once the JavaScript expression `ready` is true."""
    return asyncio.run(_page(url, profile, ready, settle, timeout, size))


def printed(url: str, profile: Path, probe: str, timeout: float = 60):
    """(the value of the JavaScript expression `probe`, the page printed to PDF)."""
    return asyncio.run(_page(url, profile, "document.readyState === 'complete'", 0.3, timeout,
                             (1000, 700), probe))
