"""Headless Chromium for checking graph.html: a small WebDriver client (stdlib only).

``Browser()`` starts Debian's chromedriver on a free loopback port and, through it,
Chromium with a new empty profile and the flags this machine needs (no sandbox as root,
no GPU, no background networking, no QUIC), plus
``--host-resolver-rules=MAP * ~NOTFOUND`` so that no host name resolves: a page that
tried to fetch anything from the network would fail visibly. DevTools' network events
are recorded (``goog:loggingPrefs`` performance log) so a test can list every request
the page made, and the console log (``browser``) so it can list errors.

Used by tests/test_export_html.py and kg/bench_html.py. ``find_chromium()`` returns
None when Chromium or chromedriver is not installed (``apt-get install chromium
chromium-driver``).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
#: URL schemes of Chromium's own pages and resources (never a network request).
_BROWSER_OWN = ("chrome://", "chrome-untrusted://", "devtools://")
_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver")


class BrowserError(RuntimeError):
    pass


def find_chromium() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, or None when either is missing."""
    browser = next((p for p in map(shutil.which, _CHROMIUMS) if p), None)
    driver = next((p for p in map(shutil.which, _DRIVERS) if p), None)
    if browser is None or driver is None:
        return None
    return browser, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One headless Chromium session; use as a context manager."""

    def __init__(
        self, width: int = 1400, height: int = 1000, timeout: float = 30.0
    ) -> None:
        found = find_chromium()
        if found is None:
            raise BrowserError(
                "chromium or chromedriver not found "
                "(apt-get install chromium chromium-driver)"
            )
        self.binary, driver = found
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        self.port = _free_port()
        self.log = open(
            Path(self.profile).parent / f"{Path(self.profile).name}.driver.log", "wb"
        )
        self.driver = subprocess.Popen(
            [driver, f"--port={self.port}", "--allowed-ips=127.0.0.1"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self.session: str | None = None
        try:
            self._wait_driver()
            caps = {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "goog:chromeOptions": {
                    "binary": self.binary,
                    "args": [
                        *FLAGS,
                        f"--user-data-dir={self.profile}",
                        f"--window-size={width},{height}",
                    ],
                },
                "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
            }
            reply = self._call(
                "POST", "/session", {"capabilities": {"alwaysMatch": caps}}
            )
            self.session = reply["sessionId"]
            self.version = reply.get("capabilities", {}).get("browserVersion", "")
        except BaseException:
            self.close()
            raise

    # -- plumbing -------------------------------------------------------------------

    def _wait_driver(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.driver.poll() is not None:
                raise BrowserError(
                    f"chromedriver exited with status {self.driver.returncode}"
                )
            try:
                with urllib.request.urlopen(self.base + "/status", timeout=1) as r:
                    if json.load(r).get("value", {}).get("ready"):
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        raise BrowserError("chromedriver did not start")

    def _call(
        self, method: str, path: str, body: Any = None, timeout: float | None = None
    ) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        # the driver on loopback: never through a proxy
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=timeout or self.timeout + 30) as r:
                return json.load(r).get("value")
        except urllib.error.HTTPError as exc:
            try:
                value = json.load(exc).get("value", {})
                message = (
                    value.get("message", "") if isinstance(value, dict) else str(value)
                )
            except ValueError:
                message = str(exc)
            raise BrowserError(
                f"{method} {path}: {message.splitlines()[0] if message else exc}"
            ) from None

    def _s(self, path: str) -> str:
        return f"/session/{self.session}{path}"

    # -- what tests use -------------------------------------------------------------

    def get(self, url: str) -> None:
        self._call("POST", self._s("/url"), {"url": url})

    def run(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body: ``return …``) in the page."""
        return self._call(
            "POST", self._s("/execute/sync"), {"script": script, "args": list(args)}
        )

    def wait_for(
        self, script: str, timeout: float | None = None, poll: float = 0.02
    ) -> Any:
        """Poll ``script`` until it returns something truthy; return that."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.run(script)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for: {script}")
            time.sleep(poll)

    def click_at(self, x: float, y: float, clicks: int = 1) -> None:
        """Mouse click(s) at viewport coordinates (CSS pixels), as a person would."""
        actions = [
            {
                "type": "pointerMove",
                "duration": 0,
                "origin": "viewport",
                "x": round(x),
                "y": round(y),
            }
        ]
        for _ in range(clicks):
            actions += [
                {"type": "pointerDown", "button": 0},
                {"type": "pointerUp", "button": 0},
            ]
        self._call(
            "POST",
            self._s("/actions"),
            {
                "actions": [
                    {
                        "type": "pointer",
                        "id": "mouse",
                        "parameters": {"pointerType": "mouse"},
                        "actions": actions,
                    }
                ]
            },
        )
        self._call("DELETE", self._s("/actions"))

    def screenshot(self, path: str | Path) -> Path:
        png = base64.b64decode(self._call("GET", self._s("/screenshot")))
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return path

    def logs(self, kind: str = "browser") -> list[dict[str, Any]]:
        """Entries of the console log (``browser``) or the DevTools log (``performance``)
        since the last call."""
        return self._call("POST", self._s("/se/log"), {"type": kind}) or []

    def requests(self) -> list[str]:
        """URLs of every request the page sent (DevTools Network.requestWillBeSent).
        Chromium's own pages (chrome://…: the new tab page a slow start may still be
        loading when the log is read) are not the page's and are left out."""
        urls = []
        for entry in self.logs("performance"):
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError, TypeError):
                continue
            if message.get("method") == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not url.startswith(_BROWSER_OWN):
                    urls.append(url)
        return urls

    def close(self) -> None:
        if self.session is not None:
            try:
                self._call("DELETE", self._s(""), timeout=10)
            except (BrowserError, OSError):
                pass
            self.session = None
        if self.driver.poll() is None:
            self.driver.terminate()
            try:
                self.driver.wait(5)
            except subprocess.TimeoutExpired:
                self.driver.kill()
                self.driver.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
        try:
            os.unlink(self.log.name)
        except OSError:
            pass

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
