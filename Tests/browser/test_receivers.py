"""The "Loa" page (issue 16): receivers by hamlet, their map, each receiver's page, and the volume per hamlet."""

import random
import re
import time

from conftest import DESKTOP, PHONE, english_left, screenshot
from playwright.sync_api import expect

RUNNING = ["rx-dong-01", "rx-dong-02", "rx-tay-01", "rx-tt-01"]
WORKING = re.compile("^(đang hoạt động|đang phát|có sự cố)$")


def wait_until_running(site, timeout: float = 30) -> None:
    """Until the running receivers are all reachable, as the CLI sees them."""
    deadline = time.monotonic() + timeout
    while True:
        states = {r["id"]: r["state"] for r in site.loa_json("receivers")}
        if all(states.get(id) in ("online", "playing", "degraded") for id in RUNNING):
            return
        assert time.monotonic() < deadline, f"receivers not all running: {states}"
        time.sleep(0.5)


def row(page, id: str):
    return page.locator(".rx-zone .rx-list li").filter(has=page.locator(f'a[href="/loa/{id}"]'))


def test_receivers_by_hamlet_with_their_states_and_a_map(as_user, site):
    wait_until_running(site)
    inventory = site.loa_json("receivers")
    for viewport in (PHONE, DESKTOP):
        page = as_user("thanh-tra", viewport)
        page.goto(f"{site.url}/loa")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cụm loa")
        for id in RUNNING:
            expect(row(page, id).locator(".rx-state")).to_have_text(WORKING)
        expect(row(page, "rx-bai-01").locator(".rx-state")).to_have_text("chưa từng kết nối")
        expect(row(page, "rx-bai-01")).to_contain_text("Lần cuối liên lạc: chưa bao giờ")
        # Each hamlet's heading is followed by its own receivers.
        dong = page.locator(".rx-zone").filter(has=page.get_by_role("heading", name="Thôn Đông"))
        expect(dong.locator(".rx-list li")).to_have_count(2)
        # The map: one marker per receiver with coordinates (all of the sample's), each a named link.
        markers = page.locator("#rx-map a")
        expect(markers).to_have_count(len([r for r in inventory if not r["stranger"]]))
        expect(page.get_by_role("link", name="Cụm loa bến đò Xóm Bãi: chưa từng kết nối")).to_be_visible()
        expect(page.locator('#rx-map a[href="/loa/rx-bai-01"] circle')).to_have_class("m m-unknown")
        # West is left, north is up.
        west = page.locator('#rx-map a[href="/loa/rx-tay-01"] circle').bounding_box()
        east = page.locator('#rx-map a[href="/loa/rx-bai-01"] circle').bounding_box()
        north = page.locator('#rx-map a[href="/loa/rx-dong-02"] circle').bounding_box()
        assert west["x"] < east["x"] and north["y"] < east["y"]
        # No volume form for a viewer.
        expect(page.locator("form.rx-volume")).to_have_count(0)
        expect(page.get_by_role("button", name="Đặt âm lượng")).to_have_count(0)
        assert english_left(page) == [], page.locator("body").inner_text() + page.title()
        screenshot(page, "loa")


def test_a_marker_and_a_list_link_open_the_receivers_page(as_user, site):
    wait_until_running(site)
    page = as_user("chu-tich", PHONE)
    page.goto(f"{site.url}/loa")
    page.locator('#rx-map a[href="/loa/rx-tay-01"]').click()
    page.wait_for_url(f"{site.url}/loa/rx-tay-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cụm loa chợ thôn Tây")
    expect(page.locator(".rx-facts")).to_contain_text("Thôn Tây")
    expect(page.get_by_role("heading", name="Tỷ lệ hoạt động")).to_be_visible()
    expect(page.get_by_role("heading", name="Lịch sử trạng thái")).to_be_visible()
    expect(page.locator(".rx-history li").first).to_be_visible()
    assert english_left(page) == [], page.locator("body").inner_text() + page.title()
    screenshot(page, "loa-rx-tay-01")

    for viewport in (DESKTOP,):
        page = as_user("thanh-tra", viewport)
        page.goto(f"{site.url}/loa")
        row(page, "rx-dong-01").get_by_role("link", name="Cụm loa đầu thôn Đông").click()
        page.wait_for_url(f"{site.url}/loa/rx-dong-01")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cụm loa đầu thôn Đông")
        facts = page.locator(".rx-facts")
        expect(facts).to_contain_text("Lần cuối liên lạc")
        expect(facts).to_contain_text("Âm lượng")
        assert english_left(page) == [], page.locator("body").inner_text() + page.title()
        screenshot(page, "loa-rx-dong-01")

    answer = page.goto(f"{site.url}/loa/rx-khong-co")
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Có lỗi")


def test_an_approver_sets_a_hamlets_volume(as_user, site):
    wait_until_running(site)
    before = site.loa_json("receivers", "show", "rx-dong-01")["status"]["telemetry"].get("volume")
    west = site.loa_json("receivers", "show", "rx-tay-01")["status"]["telemetry"].get("volume")
    level = random.choice([v for v in range(30, 91) if v != before])
    page = as_user("chu-tich", PHONE)
    page.goto(f"{site.url}/loa")
    form = page.locator('form.rx-volume[data-zone="thon-dong"]')
    form.get_by_label("Âm lượng – Thôn Đông (0–100)").fill(str(level))
    form.get_by_role("button", name="Đặt âm lượng").click()
    expect(form.get_by_role("status")).to_have_text(
        "Đã gửi lệnh đặt âm lượng. Các loa sẽ báo lại trong lần gửi số liệu tới."
    )
    screenshot(page, "loa-am-luong")
    # The receivers obey, and say so in their next telemetry (every second here).
    deadline = time.monotonic() + 20
    while True:
        volumes = [
            site.loa_json("receivers", "show", id)["status"]["telemetry"].get("volume")
            for id in ("rx-dong-01", "rx-dong-02")
        ]
        if volumes == [level, level]:
            break
        assert time.monotonic() < deadline, f"volumes {volumes}, not {level}"
        time.sleep(0.5)
    # Only Thôn Đông's.
    assert site.loa_json("receivers", "show", "rx-tay-01")["status"]["telemetry"].get("volume") == west
    page.reload()
    expect(page.locator('form.rx-volume[data-zone="thon-dong"]')).to_contain_text(
        f"Âm lượng các loa báo về: {level}"
    )
    expect(row(page, "rx-dong-01")).to_contain_text(f"Âm lượng {level}")
    # A value out of range is refused in the page, before the API.
    form = page.locator('form.rx-volume[data-zone="thon-dong"]')
    form.get_by_label("Âm lượng – Thôn Đông (0–100)").fill("150")
    form.get_by_role("button", name="Đặt âm lượng").click()
    expect(form.get_by_role("status")).to_have_text("Âm lượng phải là số từ 0 đến 100.")
    assert english_left(page) == [], page.locator("body").inner_text() + page.title()


def test_a_technician_sees_strangers_but_no_volume_form(as_user, site):
    page = as_user("ky-thuat", PHONE)
    page.goto(f"{site.url}/loa")
    expect(page.get_by_role("heading", name="Thiết bị lạ")).to_be_visible()
    expect(page.locator("form.rx-volume")).to_have_count(0)
    assert english_left(page) == [], page.locator("body").inner_text() + page.title()
