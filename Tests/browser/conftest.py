"""Fixtures of the console's browser checks (issue 16), run by `ConsoleBrowserTests` under `make test`.

That Swift test starts a real `loa serve` with real receivers and hands these checks, in the environment:

- LOA_URL: the console's address (plain HTTP on loopback);
- LOA_PASSWORDS: JSON of the sample accounts' passwords (chu-tich approver, can-bo-van-hoa operator,
  ky-thuat technician, thanh-tra viewer);
- LOA_CLI and LOA_SOCKET: the `loa` executable and the daemon's API socket, to check pages against the CLI;
- LOA_SITE_DIR: the site's folder (receivers' outputs and journals).

Playwright drives Debian's chromium (it cannot download its own here). Screenshots go to
Tests/browser/screenshots/ (git-ignored).
"""

import json
import os
import pathlib
import subprocess

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

SCREENSHOTS = pathlib.Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}

# Words that betray an English string left on a Vietnamese page. Checked as whole words, case-insensitive.
ENGLISH_WORDS = [
    "schedule", "schedules", "receiver", "receivers", "loudspeaker", "loudspeakers", "today", "tomorrow",
    "sign in", "sign out", "password", "user name", "approve", "approved", "cancel", "delete", "save", "upload",
    "emergency", "priority", "normal", "volume", "report", "reports", "log", "online", "offline", "playing",
    "never connected", "nothing", "error", "loading", "submit", "stop", "edit", "week", "month", "daily",
    "hamlet", "hamlets", "title", "time", "date", "status", "download", "print", "skip", "preview", "draft",
    "waiting", "confirm", "broadcast", "minutes", "seconds", "the", "and", "of", "on air",
]


class Site:
    """The running console and how to reach it."""

    def __init__(self) -> None:
        self.url = os.environ["LOA_URL"].rstrip("/")
        self.passwords: dict[str, str] = json.loads(os.environ["LOA_PASSWORDS"])
        self.cli = os.environ.get("LOA_CLI", "loa")
        self.directory = pathlib.Path(os.environ.get("LOA_SITE_DIR", "."))

    def loa(self, *arguments: str, user: str | None = None) -> subprocess.CompletedProcess:
        """Runs `loa ARGUMENTS` against the daemon over its API socket (as `user` when given)."""
        # Over the API socket (LOA_SOCKET), as a process on the gateway would: not LOA_URL, the browser's way in.
        environment = {name: value for name, value in os.environ.items() if name != "LOA_URL"}
        if user:
            environment["LOA_USER"] = user
        run = subprocess.run([self.cli, *arguments], env=environment, capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            raise AssertionError(f"loa {' '.join(arguments)} exited {run.returncode}: {run.stderr.strip()}")
        return run

    def loa_json(self, *arguments: str, user: str | None = None):
        return json.loads(self.loa(*arguments, "--json", user=user).stdout)


@pytest.fixture(scope="session")
def site() -> Site:
    return Site()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield browser
        browser.close()


def sign_in(
    browser: Browser, site: Site, user: str, viewport=DESKTOP, lang: str = "vi", bypass_csp: bool = False
) -> Page:
    """A fresh browser context signed in as `user` through the sign-in page; returns its page on Today.
    `bypass_csp` only for audits that inject their own script (axe-core)."""
    context: BrowserContext = browser.new_context(
        viewport=viewport, ignore_https_errors=True, bypass_csp=bypass_csp
    )
    page = context.new_page()
    page.goto(f"{site.url}/dang-nhap?lang={lang}")
    page.get_by_label("Tên đăng nhập" if lang == "vi" else "User name").fill(user)
    page.get_by_label("Mật khẩu" if lang == "vi" else "Password").fill(site.passwords[user])
    page.locator("#sign-in button[type=submit]").click()
    page.wait_for_url(f"{site.url}/hom-nay")
    return page


@pytest.fixture
def as_user(browser, site):
    """`as_user("chu-tich")` → a signed-in page; every context it opened is closed after the test."""
    pages: list[Page] = []

    def open_page(user: str, viewport=DESKTOP, lang: str = "vi") -> Page:
        page = sign_in(browser, site, user, viewport, lang)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.context.close()


def screenshot(page: Page, name: str) -> pathlib.Path:
    """Saves a full-page screenshot named after the page and the viewport's size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def english_left(page: Page) -> list[str]:
    """The English words (ENGLISH_WORDS) in the page's visible text and its labels, but for the language
    switch ("English") and the names of things the commune chose (which the checks make Vietnamese)."""
    import re

    parts = [page.locator("body").inner_text(), page.title()]
    for element in page.locator("[aria-label],[title],[placeholder]").all():
        parts += [element.get_attribute(name) or "" for name in ("aria-label", "title", "placeholder")]
    text = "\n".join(parts)
    text = text.replace("English", "")
    return sorted({word for word in ENGLISH_WORDS if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)})
