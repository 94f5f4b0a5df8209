"""Signing in and out of the console, and what every page's frame shows (issue 16)."""

from conftest import DESKTOP, PHONE, english_left, screenshot
from playwright.sync_api import expect


def test_a_wrong_password_is_refused_in_vietnamese(browser, site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site.url}/dang-nhap")
    screenshot(page, "dang-nhap")
    page.set_viewport_size(PHONE)
    screenshot(page, "dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("chu-tich")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.locator("#sign-in button[type=submit]").click()
    expect(page.locator("#sign-in-error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    assert page.url.endswith("/dang-nhap")
    assert english_left(page) == []
    context.close()


def test_signing_in_opens_today_and_signing_out_ends_the_session(as_user, site):
    for viewport in (PHONE, DESKTOP):
        page = as_user("thanh-tra", viewport)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hôm nay")
        expect(page.locator(".bar")).to_contain_text("thanh-tra")
        assert english_left(page) == []
        page.locator("#sign-out").click()
        page.wait_for_url(f"{site.url}/dang-nhap")
        page.goto(f"{site.url}/hom-nay")
        page.wait_for_url(f"{site.url}/dang-nhap")


def test_every_section_is_in_the_navigation(as_user, site):
    page = as_user("thanh-tra")
    navigation = page.get_by_role("navigation", name="Các trang")
    for label in ["Hôm nay", "Lịch phát", "Loa", "Nhật ký", "Báo cáo"]:
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Hôm nay", exact=True)).to_have_attribute("aria-current", "page")


def test_english_is_there_on_asking(as_user, site):
    page = as_user("thanh-tra", lang="en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    page.goto(f"{site.url}/hom-nay?lang=vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hôm nay")
