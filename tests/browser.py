"""Headless Chromium for the report's browser test and `make screenshot`.

Debian's `chromium` (apt-get install chromium), driven by the `playwright` package from PyPI
with executable_path set to it: no browser is ever downloaded (`playwright install` is never
run). Each launch gets a fresh profile folder, and flags that keep the browser itself quiet
(no component updates, no background networking), so that any request seen comes from the page.

    python -m tests.browser screenshot REPORT.html OUT.png
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile

INSTALL_HINT = (
    "the browser test needs Debian's chromium and the playwright package: "
    "`apt-get install -y chromium` and `pip install -e '.[test]'` (never `playwright install`)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The Chromium executable: $NEWSLINE_CHROMIUM, else `chromium` on PATH, else None."""
    return os.environ.get("NEWSLINE_CHROMIUM") or shutil.which("chromium")


def missing() -> str | None:
    """Why the browser cannot run here (a message saying how to install it), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: " + INSTALL_HINT
    if chromium_path() is None:
        return "chromium is not installed: " + INSTALL_HINT
    return None


@contextlib.contextmanager
def browser_context(width: int = 1280, height: int = 900):
    """A fresh persistent Chromium context (new profile folder, deleted afterwards)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="newsline-chromium-") as profile:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=FLAGS,
                viewport={"width": width, "height": height},
            )
            try:
                yield context
            finally:
                context.close()


def screenshot(report: str, png: str) -> None:
    """Open the report and save a full-page PNG of it, with the first timeline mark pinned."""
    with browser_context(1280, 900) as context:
        page = context.new_page()
        page.goto("file://" + os.path.abspath(report))
        page.wait_for_selector("svg#timeline rect.mark")
        target = page.locator('svg#timeline rect.mark[data-start="2019-10-27"]')
        (target if target.count() else page.locator("svg#timeline rect.mark")).first.click()
        button = page.locator("#detail button.open-doc")
        if button.count():
            button.click()
        page.mouse.move(0, 0)
        page.screenshot(path=png, full_page=True)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "screenshot":
        raise SystemExit("usage: python -m tests.browser screenshot REPORT.html OUT.png")
    problem = missing()
    if problem:
        raise SystemExit(problem)
    screenshot(sys.argv[2], sys.argv[3])
    print(sys.argv[3])
