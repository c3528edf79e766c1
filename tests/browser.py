"""Headless Chromium for the tests: find it, or skip with the reason.

The browser itself is ``kg.export.html_browser.Browser`` (chromedriver + Debian's
chromium, a new empty profile, no network: see there). Tests skip only when chromium
or chromedriver is not installed; a browser that is installed but fails is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.export.html_browser import Browser, find_chromium

INSTALL = "apt-get install -y chromium chromium-driver fonts-wqy-zenhei"


def require_chromium() -> tuple[str, str]:
    """(chromium, chromedriver), or skip the test with a clear message."""
    found = find_chromium()
    if found is None:
        pytest.skip(
            f"browser test skipped: chromium or chromedriver not installed "
            f"(`{INSTALL}`; .ci/run installs them where apt-get works)"
        )
    return found


def open_browser(width: int = 1400, height: int = 1000) -> Iterator[Browser]:
    """A started browser for a fixture to yield; closed afterwards."""
    require_chromium()
    with Browser(width=width, height=height) as browser:
        yield browser
