"""WCAG 2.1 AA on every page of the console, at phone and desktop size, checked by axe-core (issue 16).

axe-core (from PyPI's axe-playwright-python) reads the rendered page: contrast, labels, names of controls,
landmarks, headings, language. The console's CSP forbids injected scripts, so the audit's own context lifts it
(`bypass_csp`); what is audited is the page the console served.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import DESKTOP, PHONE, sign_in
from playwright.sync_api import expect

PAGES = ["/hom-nay", "/lich-phat", "/loa", "/loa/rx-dong-01", "/nhat-ky", "/bao-cao"]
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    results = Axe().run(page, options=RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_sign_in_page_meets_wcag_aa(browser, site, viewport):
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site.url}/dang-nhap")
    assert violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_signed_in_page_meets_wcag_aa(browser, site, viewport):
    page = sign_in(browser, site, "chu-tich", viewport, bypass_csp=True)
    found = {}
    for path in PAGES:
        answer = page.goto(f"{site.url}{path}")
        assert answer.status == 200, f"{path}: HTTP {answer.status}"
        expect(page.locator("h1")).to_be_visible()
        if problems := violations(page):
            found[path] = problems
    page.context.close()
    assert found == {}
