"""Browser tests: Playwright for Python driving Debian's Chromium against ``live_server``.

The browser is Debian's ``chromium`` package (``make chromium`` installs it; ``make test``
runs that first); Playwright never downloads one. A missing Chromium fails these tests with
the way to install it: they are never skipped.

Screenshots of the main pages are written to ``build/screenshots/`` on every run, and to
``docs/`` (the README's images) when ``UPDATE_SCREENSHOTS=1`` (``make screenshots``).
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's async-safety check
# would then refuse the database calls made by the fixtures (and by the live server thread
# sharing SQLite's in-memory connection). Nothing here runs inside a coroutine.


@pytest.fixture(scope="package", autouse=True)
def allow_database_calls_beside_playwright():
    """Set for the browser tests only: the other tests (a production ``check --deploy`` in a
    subprocess among them) run without it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
SCREENSHOT_DIR = ROOT / "build" / "screenshots"
DOCS = ROOT / "docs"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The network is closed: without the background-networking flags Chromium keeps trying
# (and failing) to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, stopped after them: Playwright's event loop must
    not outlive them (Django refuses database calls while a loop runs in the thread)."""
    from playwright.sync_api import sync_playwright

    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make chromium` (installs Debian's "
            "`chromium` package) or set CHROMIUM to a Chromium executable",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's URL, with the five seed cables imported through the command."""
    from django.core.management import call_command

    call_command("import_cables", str(SEEDS), verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser, site):
    """A fresh page (its own context) at a desktop size; clipboard access granted."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000},
        base_url=site,
        color_scheme="light",
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Every script error and failed request fails the test (the browser asks for
    # /favicon.ico on its own; the site has none).
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    yield page
    context.close()
    assert errors == [], f"errors in the browser: {errors}"


@pytest.fixture
def screenshot():
    """``screenshot(page, "browse")``: the page to build/screenshots/browse.png, and to
    docs/browse.png as well when UPDATE_SCREENSHOTS=1."""

    def save(page, name: str, *, full_page: bool = False) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        assert path.stat().st_size > 10_000, f"{path} looks empty"
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(path, DOCS / f"{name}.png")
        return path

    return save
