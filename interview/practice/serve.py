"""`csec-interview practice serve`: practice mode for a class in browsers, one process each.

The class server is an aiohttp application around textual-serve's `AppService` (which runs one
practice app per browser and relays its terminal over a websocket) and textual-serve's page
assets. It is open to a classroom network, and any web page the trainer or a trainee has open
can send requests to it, so it lets in only what it must:

- **Host**: the page is built from the address the browser used (so `--host 0.0.0.0` works from
  any address of the machine), and that address must be an IP address, `localhost`, a name of
  this machine or the `--host` given: another name (a DNS-rebinding page) gets a page naming the
  class's addresses, never the app. The page's script and styles load from its own origin
  (relative URLs) and its websocket from the validated Host.
- **Origin**: a request that carries an Origin other than the page's own, or that another site
  made (Sec-Fetch-Site), is refused; the websocket must carry the page's own Origin.
- **The class code**: generated at start and shown to the trainer. Until a browser gives it
  (typed in the page, or in the URL the trainer hands out) it gets nothing but a page saying to
  ask the trainer. A right code sets a cookie (HttpOnly, SameSite=Lax) holding a random token of
  this server run; the page, its assets and the websocket all need it. Wrong codes from one
  address are limited to a few a minute.
- **The cap**: at most `--max-trainees` practice processes at once; one more browser gets a
  page (or, if it raced past the page, a line in its terminal) saying the class is full.
- **Input**: terminal sizes are clamped, websocket messages are small and only the relay's five
  kinds are understood; file deliveries from an app are dropped (the practice app makes none).

The practice app itself (interview.app.practice_app) writes no file but the trainer's results
file and never opens the store; this server cannot change that, whatever a browser sends.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import re
import secrets
import shlex
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from interview import jsonin
from interview.errors import InterviewError
from interview.reports.render import clean

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 8                                      # 40 bits
WRONG_CODES_PER_MINUTE = 5
TERMINAL_COLUMNS, TERMINAL_ROWS = (20, 400), (8, 200)
MAX_MESSAGE = 64 * 1024
STOP_TIMEOUT = 10.0
TITLE = "Practice interview (CSEC 101)"
WEB = Path(__file__).resolve().parent / "web"
HOST_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$")
FULL_IN_TERMINAL = ("\x1b[2J\x1b[H\r\n  The class is full: {n} trainees are practising, the most this "
                    "class server takes.\r\n\r\n  Ask the trainer, then reload this page.\r\n")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def typed_code(text: str) -> str:
    """A code as typed: case, spaces and dashes do not matter."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())[:64]


def shown_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def parse_host(value: str) -> tuple[str, int | None] | None:
    """(host, port) of a Host header or an origin's authority; None when it is malformed."""
    value = value.strip().lower()
    if not value or len(value) > 255:
        return None
    if value.startswith("["):
        end = value.find("]")
        host, rest = value[1:end], value[end + 1:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
    else:
        host, _, port_text = value.partition(":")
        rest = f":{port_text}" if _ else ""
        if not HOST_NAME.match(host):
            return None
    if not rest:
        return host, None
    if not re.fullmatch(r":[0-9]{1,5}", rest) or not 0 < int(rest[1:]) < 65536:
        return None
    return host, int(rest[1:])


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def authority(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port in (None, 80) else f"{shown}:{port}"


def machine_names() -> set[str]:
    names = {"localhost"}
    try:
        hostname = socket.gethostname().lower()
        names |= {hostname, f"{hostname}.local", socket.getfqdn().lower()}
    except OSError:
        pass
    return {n.rstrip(".") for n in names if n}


def lan_addresses() -> list[str]:
    """This machine's addresses a trainee's browser can use (not loopback), best first."""
    found: list[str] = []
    try:  # the address of the default route; connecting a UDP socket sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    seen: list[str] = []
    for address in found:
        if address not in seen and not ipaddress.ip_address(address).is_loopback:
            seen.append(address)
    return seen


# What a request says (its Origin header) is shown to the trainer at most this long.
SHOWN = 100


def shown(value: str) -> str:
    """Text from a request as the trainer's terminal shows it: plain text (no control
    characters, escape sequences or bidirectional overrides, as in reports; bytes that were
    not UTF-8 as "?"), on one line, cut short."""
    text = " ".join(clean(value).encode("utf-8", "replace").decode("utf-8").split())
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


@dataclass
class ClassServer:
    """One class: its code, its cap, its practice processes. `command` starts one practice app."""

    command: list[str]
    host: str
    port: int
    max_trainees: int
    code: str = field(default_factory=new_code)
    out: object = None                          # where the trainer's messages go (stdout)

    def __post_init__(self) -> None:
        self.token = secrets.token_urlsafe(32)  # the cookie a right code sets, this run only
        self.cookie = f"csec_class_{self.port}"  # a cookie is per host, not per port
        self.names = machine_names() | ({self.host.lower()} if not is_ip(self.host) else set())
        self.trainees = 0
        self.sockets: set = set()
        self.stopping: set = set()
        self.wrong: dict[str, deque] = {}
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(WEB), autoescape=True)
        self.out = self.out or sys.stdout

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # --- addresses ----------------------------------------------------------------------------

    def urls(self) -> list[str]:
        if self.host in ("0.0.0.0", "::", ""):
            hosts = lan_addresses() or ["THIS-COMPUTER'S-ADDRESS"]
        else:
            hosts = [self.host]
        return [f"http://{authority(h, self.port)}/" for h in hosts]

    def own(self, request) -> tuple[str, int] | None:
        """The address the browser used, if this server answers to it."""
        parsed = parse_host(request.headers.get("Host", ""))
        if parsed is None:
            return None
        host, port = parsed
        if not is_ip(host) and host.rstrip(".") not in self.names:
            return None
        return host, port or 80

    def same_origin(self, origin: str, own: tuple[str, int]) -> bool:
        if not origin.lower().startswith("http://"):
            return False
        parsed = parse_host(origin[len("http://"):])
        return parsed is not None and (parsed[0], parsed[1] or 80) == own

    # --- the application ----------------------------------------------------------------------

    def application(self):
        app = web.Application(middlewares=[self.guard], client_max_size=64 * 1024)
        app.add_routes([
            web.get("/", self.index),
            web.get("/ws", self.websocket),
            web.static("/static", Path(textual_serve.__file__).parent / "static",
                       show_index=False, follow_symlinks=False),
        ])
        app.on_shutdown.append(self.on_shutdown)
        app.on_cleanup.append(self.on_cleanup)
        return app

    def page(self, name: str, status: int = 200, **values):
        return web.Response(status=status, content_type="text/html", charset="utf-8",
                            text=self.pages.get_template(name).render(title=TITLE, **values))

    def admitted(self, request) -> bool:
        return hmac.compare_digest(request.cookies.get(self.cookie, ""), self.token)

    @web.middleware
    async def guard(self, request, handler):
        """Every request: the address the browser used, its origin, the class's cookie."""
        own = self.own(request)
        if own is None:
            response = self.page("gate.html", 421, kind="address", urls=self.urls())
            self.secure(response, None)
            return response
        origin = request.headers.get("Origin")
        fetched_from = request.headers.get("Sec-Fetch-Site", "")
        navigation = request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
        if (origin is not None and not self.same_origin(origin, own)) or (
                fetched_from in ("cross-site", "same-site") and not navigation):
            self.say(f"refused a request from another site ({shown(origin or fetched_from)})")
            response = web.Response(status=403, text="Refused: this class server answers only "
                                    "its own page.\n")
        elif request.path != "/" and not self.admitted(request):
            response = web.Response(status=403, text="Ask the trainer for the class code.\n")
        else:
            response = await handler(request)
        if not isinstance(response, web.WebSocketResponse):
            self.secure(response, own)
        return response

    def secure(self, response, own: tuple[str, int] | None) -> None:
        """Headers for every answer: the page runs only its own scripts, connects only to its
        own address, and is never framed by another page."""
        nonce = getattr(response, "nonce", "")
        scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        websocket = f" ws://{authority(*own)}" if own else ""
        response.headers.update({
            "Content-Security-Policy": (
                f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
                f"img-src 'self' data:; font-src 'self' data:; "
                f"connect-src 'self'{websocket}; frame-ancestors 'none'; "
                "form-action 'self'; base-uri 'none'; object-src 'none'"),
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Resource-Policy": "same-origin",
        })
        if response.content_type == "text/html":
            response.headers["Cache-Control"] = "no-store"

    # --- the page -----------------------------------------------------------------------------

    def too_many_wrong(self, who: str) -> bool:
        now = time.monotonic()
        times = self.wrong.setdefault(who, deque())
        while times and now - times[0] > 60:
            times.popleft()
        if len(self.wrong) > 10_000:  # forget addresses with no wrong code in the last minute
            self.wrong = {k: v for k, v in self.wrong.items() if v and now - v[-1] <= 60}
            self.wrong.setdefault(who, times)
        return len(times) >= WRONG_CODES_PER_MINUTE

    async def index(self, request):
        typed = request.query.get("code")
        if typed is not None:
            who = request.remote or "?"
            if self.too_many_wrong(who):
                return self.page("gate.html", 429, kind="slow")
            if not hmac.compare_digest(typed_code(typed), self.code):
                self.wrong[who].append(time.monotonic())
                return self.page("gate.html", 403, kind="code", wrong=True)
            # The code leaves the address bar and the history (a constant place: no redirect
            # anywhere a request names).
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Lax", path="/")
            return response
        if not self.admitted(request):
            return self.page("gate.html", 403, kind="code", wrong=False)
        if self.trainees >= self.max_trainees:
            return self.page("gate.html", 503, kind="full", n=self.max_trainees)
        nonce = secrets.token_urlsafe(16)
        own = self.own(request)
        response = self.page("class.html", nonce=nonce, font_size=_size(
            request.query.get("fontsize"), (8, 48), 16),
            websocket=f"ws://{authority(*own)}/ws")
        response.nonce = nonce
        return response

    # --- one trainee's practice app -----------------------------------------------------------

    async def websocket(self, request):
        own = self.own(request)
        if not self.same_origin(request.headers.get("Origin", ""), own):
            self.say("refused a connection without this page's origin")
            return web.Response(status=403, text="Refused: not from this class's page.\n")
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await ws.prepare(request)
        self.sockets.add(ws)
        try:
            if self.trainees >= self.max_trainees:
                self.say(f"refused a trainee: the class is full ({self.max_trainees})")
                await ws.send_bytes(FULL_IN_TERMINAL.format(n=self.max_trainees).encode())
                async for _ in ws:  # keep the message on screen until the page goes
                    pass
                return ws
            self.trainees += 1
            self.say(f"a trainee joined ({self.trainees} of {self.max_trainees})")
            service = PracticeAppService(
                shlex.join(self.command), write_bytes=ws.send_bytes, write_str=ws.send_str,
                close=ws.close, download_manager=DownloadManager())
            try:
                await service.start(_size(request.query.get("width"), TERMINAL_COLUMNS, 80),
                                    _size(request.query.get("height"), TERMINAL_ROWS, 24))
                await self.relay(ws, service)
            finally:
                # The place is free once the process is gone, even when aiohttp cancels this
                # handler because the browser went away: the stop is shielded from that.
                stopping = asyncio.ensure_future(self.release(service))
                self.stopping.add(stopping)
                stopping.add_done_callback(self.stopping.discard)
                await asyncio.shield(stopping)
        finally:
            self.sockets.discard(ws)
        return ws

    async def release(self, service) -> None:
        try:
            await service.stop_within(STOP_TIMEOUT)
        finally:
            self.trainees -= 1
            self.say(f"a trainee left ({self.trainees} of {self.max_trainees})")

    async def relay(self, ws, service) -> None:
        """The browser's messages to the app: keys, sizes (clamped), focus; nothing else."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *rest = jsonin.loads(message.data)
            except (ValueError, TypeError):
                continue
            data = rest[0] if rest else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    _size(data.get("width"), TERMINAL_COLUMNS, 80),
                    _size(data.get("height"), TERMINAL_ROWS, 24))
            elif kind == "ping" and isinstance(data, str):
                await ws.send_json(["pong", data[:32]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def on_shutdown(self, app) -> None:
        for ws in list(self.sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"the class server stopped")

    async def on_cleanup(self, app) -> None:
        """Every practice process is gone before the server is."""
        while self.stopping:
            await asyncio.gather(*self.stopping, return_exceptions=True)

    # --- running ------------------------------------------------------------------------------

    def announce(self) -> None:
        urls = self.urls()
        self.say(f"{TITLE}: the class server is running.")
        self.say(f"\n  Class code: {shown_code(self.code)}\n")
        self.say("Trainees open " + " or ".join(urls) + " and type the code, or open:")
        for url in urls:
            self.say(f"  {url}?code={shown_code(self.code)}")
        self.say(f"\nAt most {self.max_trainees} trainees at once (--max-trainees). "
                 "Press Ctrl+C to stop the class.")

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except socket.gaierror:
            raise InterviewError(f"cannot serve on {self.host}: no such address or host name; "
                                 "use --host 0.0.0.0 (every address of this computer) or one of "
                                 "its addresses") from None
        except OSError as exc:
            reason = {98: "the port is in use (another class server?): choose another --port",
                      99: "this computer has no such address: use --host 0.0.0.0 or one of its "
                          "addresses",
                      13: "permission denied: choose a --port above 1023"}.get(
                exc.errno, exc.strerror or str(exc))
            raise InterviewError(f"cannot serve on {authority(self.host, self.port)}: "
                                 f"{reason}") from None
        except (KeyboardInterrupt, web.GracefulExit):
            pass
        self.say("The class server stopped.")

    async def _serve(self) -> None:
        import signal

        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host or None, self.port).start()
        except OSError:
            await runner.cleanup()
            raise
        self.announce()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            self.say("\nStopping: closing every trainee's practice ...")
            await runner.cleanup()


def _size(value, bounds: tuple[int, int], default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(bounds[0], min(bounds[1], number))


class PracticeAppService(AppService):
    """textual-serve's process relay, minus file deliveries and links, and with a bounded stop."""

    async def on_meta(self, data: bytes) -> None:
        try:
            kind = json.loads(data).get("type")
        except (ValueError, AttributeError):
            return
        if kind == "exit":
            await super().on_meta(data)

    async def stop_within(self, seconds: float) -> None:
        """Ask the app to quit, and wait until its process is gone (killed if it hangs)."""
        process = self._process
        try:
            await asyncio.wait_for(self.stop(), seconds)
            if process is not None:
                await asyncio.wait_for(process.wait(), seconds)
        except asyncio.TimeoutError:
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()
