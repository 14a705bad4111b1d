"""axe-core (axe-playwright-python) on every page the browser tests reach.

The `page` fixture (tests/conftest.py) calls `watch(page)`: every time a page finishes loading
(a link, a form post, a redirect, `page.goto`), axe checks it, and the test fails at teardown if
any page had a violation, naming the page and the rule. New pages are covered by simply visiting
them in a browser test. For a state reached without a page load (an htmx swap, an opened
<details>), call `check(page)` yourself:

    from tests.e2e.axe import check
    page.get_by_label("Type of need").select_option("SEMH")   # htmx swaps the results
    check(page)

A test that must visit a page axe cannot pass yet says so explicitly with
`page.axe_skip.add("/path/")` (and a comment saying why); none does today.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.2 AA and best practice: what the issue asks axe to hold every page to.
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
_AXE = Axe()


def _describe(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n.get("target", [])) for n in v.get("nodes", [])[:5])
        lines.append(f"{urlsplit(url).path}: {v['id']} ({v['impact']}): {v['help']} [{targets}]")
    return lines


def _ours(url: str) -> bool:
    """Pages of the product (the platform host and school hosts), not a stand-in for a third
    party's hosted page such as the Stripe fake's checkout."""
    from django.conf import settings

    host = (urlsplit(url).hostname or "").lower()
    domain = settings.PLATFORM_DOMAIN.lower()
    return host == domain or host.endswith(f".{domain}")


def violations(page) -> list[str]:
    """axe's violations on the page as it is now, one line each."""
    if page.url.startswith(("about:", "data:")) or not _ours(page.url):
        return []
    content_type = page.evaluate("document.contentType")
    if content_type != "text/html":
        return []  # a PDF or CSV opened in the tab
    results = _AXE.run(page, options=OPTIONS)
    return _describe(page.url, results.response.get("violations", []))


def check(page) -> None:
    """Fail now if the page as it is has any axe violation."""
    found = violations(page)
    assert not found, "axe-core found accessibility violations:\n" + "\n".join(found)


def watch(page) -> list[str]:
    """Check every page `page` loads; returns the list the findings are collected in."""
    found: list[str] = []
    page.axe_skip = set()

    def on_load(_page=None) -> None:
        if urlsplit(page.url).path in page.axe_skip:
            return
        try:
            found.extend(violations(page))
        except Exception as exc:
            # The test navigated on before axe finished (the next page is checked on its own
            # load), or the test ended and closed the tab.
            message = str(exc)
            if page.is_closed() or any(
                s in message
                for s in ("Execution context was destroyed", "navigat", "has been closed")
            ):
                return
            raise

    page.on("load", on_load)
    return found
