""""Hôm nay": live updates without a reload, stopping, and the emergency with its confirmation (issue 16)."""

import json
import time

from conftest import DESKTOP, PHONE, english_left, screenshot
from playwright.sync_api import expect

# About 20 s of speech: long enough to watch it on air, and to be cut by an emergency.
LONG_TEXT = (
    "Thông báo của Ủy ban nhân dân xã về lịch tiêm chủng mở rộng cho trẻ em dưới năm tuổi. "
    "Các gia đình có con trong độ tuổi tiêm chủng đưa trẻ đến trạm y tế xã từ bảy giờ sáng đến mười một giờ trưa "
    "ngày thứ bảy và chủ nhật tuần này, mang theo sổ tiêm chủng và thẻ bảo hiểm y tế của trẻ. "
    "Đề nghị trưởng các thôn thông báo rộng rãi đến từng hộ gia đình."
)


def broadcasts(site):
    return site.loa_json("log", "--limit", "20")


def wait_until_nothing_airs(site, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not any(entry["outcome"] in ("playing", "waiting") for entry in broadcasts(site)):
            return
        time.sleep(0.5)
    raise AssertionError("a broadcast was still on air after the test")


def navigations(page):
    """Counts the page's own navigations from now on (a reload would add one)."""
    seen = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)
    return seen


def test_an_announcement_shows_on_air_and_ends_without_a_reload(as_user, site):
    wait_until_nothing_airs(site)
    page = as_user("thanh-tra", PHONE)
    on_air = page.locator("#on-air").locator("xpath=..")
    expect(on_air).to_contain_text("Hiện không phát gì.")
    expect(page.locator("#live li.state-online")).to_contain_text("4")
    moved = navigations(page)

    site.loa("announce", "--text", LONG_TEXT, "--title", "Lịch tiêm chủng tháng 12", "--zones", "thon-dong", user="chu-tich")
    expect(on_air).to_contain_text("Lịch tiêm chủng tháng 12", timeout=15_000)
    expect(on_air).to_contain_text("Thôn Đông")
    # The two receivers of Thôn Đông say they are playing; the page counts them as they change.
    expect(page.locator("#live li.state-playing")).to_contain_text("2", timeout=15_000)
    screenshot(page, "hom-nay-dang-phat")
    # A viewer may not stop it: no button.
    expect(page.locator("button.stop")).to_have_count(0)
    assert english_left(page) == []

    expect(on_air).to_contain_text("Hiện không phát gì.", timeout=90_000)
    expect(page.locator("#live li.state-playing")).to_have_count(0, timeout=15_000)
    assert moved == [], f"the page navigated: {moved}"


def test_an_approver_stops_a_broadcast(as_user, site):
    wait_until_nothing_airs(site)
    page = as_user("chu-tich", DESKTOP)
    site.loa("announce", "--text", LONG_TEXT, "--title", "Bản tin dừng giữa chừng", "--zones", "thon-tay", user="chu-tich")
    stop = page.locator("button.stop", has_text="Dừng phát")
    expect(stop).to_have_count(1, timeout=15_000)
    page.once("dialog", lambda dialog: dialog.accept())
    stop.click()
    expect(page.locator("#on-air").locator("xpath=..")).to_contain_text("Hiện không phát gì.", timeout=15_000)
    entry = next(e for e in broadcasts(site) if e["title"] == "Bản tin dừng giữa chừng")
    assert entry["outcome"] in ("interrupted", "partial"), entry


def test_a_confirmed_emergency_cuts_a_normal_broadcast(as_user, site):
    wait_until_nothing_airs(site)
    page = as_user("chu-tich", PHONE)
    site.loa("announce", "--text", LONG_TEXT, "--title", "Bản tin thường", "--all", user="chu-tich")
    on_air = page.locator("#on-air").locator("xpath=..")
    expect(on_air).to_contain_text("Bản tin thường", timeout=15_000)

    page.get_by_label("Nội dung cần đọc ngay").fill("Bão số 9 sắp đổ bộ. Người dân không ra khỏi nhà.")
    expect(page.get_by_label("Toàn xã")).to_be_checked()
    page.get_by_role("button", name="Phát khẩn cấp…").click()
    dialog = page.get_by_role("dialog", name="Xác nhận phát khẩn cấp")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Toàn xã")
    expect(dialog).to_contain_text("Bão số 9 sắp đổ bộ.")
    screenshot(page, "hom-nay-xac-nhan-khan-cap")
    # Going back airs nothing.
    dialog.get_by_role("button", name="Quay lại").click()
    expect(dialog).to_be_hidden()
    time.sleep(1)
    assert not any(e["priority"] == "emergency" and e["outcome"] == "playing" for e in broadcasts(site))

    page.get_by_role("button", name="Phát khẩn cấp…").click()
    dialog.get_by_role("button", name="Xác nhận phát ngay").click()
    expect(page.locator("#emergency-result")).to_have_text("Đã phát lệnh khẩn cấp.", timeout=15_000)
    expect(on_air.locator("li.urgent")).to_contain_text("Bão số 9 sắp đổ bộ.", timeout=15_000)
    # The normal broadcast is cut: off the air, waiting to start again once the emergency is over.
    expect(on_air).not_to_contain_text("Bản tin thường")
    normal = next(e for e in broadcasts(site) if e["title"] == "Bản tin thường")
    assert normal["outcome"] == "waiting" and "interruption" in normal["detail"], normal
    wait_until_nothing_airs(site)


def test_an_operator_has_no_emergency_or_stop_and_the_server_refuses_anyway(as_user, site):
    wait_until_nothing_airs(site)
    page = as_user("can-bo-van-hoa", DESKTOP)
    screenshot(page, "hom-nay-can-bo")
    expect(page.locator("#emergency-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Phát khẩn cấp…")).to_have_count(0)
    assert english_left(page) == []
    csrf = page.locator("#live").get_attribute("data-csrf")
    body = {
        "announcement": {"title": "Thử", "content": {"tts": {"text": "Thử", "voice": "vi"}}, "chime": False},
        "skipDates": [], "targets": "all", "priority": "emergency", "repeatCount": 1, "repeatGapSeconds": 0,
    }
    answer = page.request.post(
        f"{site.url}/api/v1/announce",
        data=json.dumps(body),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    assert answer.status == 403, answer.text()
    assert "can-bo-van-hoa" in answer.text()
    stop = page.request.post(
        f"{site.url}/api/v1/stop", data="{}", headers={"Content-Type": "application/json", "X-CSRF-Token": csrf}
    )
    assert stop.status == 403, stop.text()
    # Without the CSRF token, even the right role's change is refused.
    approver = as_user("chu-tich", DESKTOP)
    forged = approver.request.post(
        f"{site.url}/api/v1/stop", data="{}", headers={"Content-Type": "application/json"}
    )
    assert forged.status == 403, forged.text()
