"""The "Nhật ký" page (issue 16): each broadcast with each receiver's acknowledgement and playback."""

import datetime
import re
import secrets
import time
from zoneinfo import ZoneInfo

from conftest import DESKTOP, PHONE, english_left, screenshot
from playwright.sync_api import expect

FINAL_REPORTS = {"played", "played-with-gaps", "cut-short", "refused", "never-reached"}


def air_and_wait(site, title: str) -> dict:
    """Airs a short announcement in Thôn Đông as the approver, and waits until it and its receivers' reports
    have settled; returns its log entry, as `loa log --json` shows it."""
    receipt = site.loa_json(
        "announce", "--text", "Kiểm tra loa.", "--title", title, "--zones", "thon-dong", "--no-chime",
        user="chu-tich",
    )
    deadline = time.monotonic() + 90
    while True:
        entries = site.loa_json("log", "--zone", "thon-dong", "--limit", "50")
        entry = next((e for e in entries if e.get("id") == receipt["broadcastID"]), None)
        reports = (entry or {}).get("receivers") or []
        if (
            entry
            and entry["outcome"] not in ("playing", "waiting")
            and len(reports) == 2
            and all(r["state"] in FINAL_REPORTS for r in reports)
        ):
            return entry
        assert time.monotonic() < deadline, f"broadcast never settled: {entry}"
        time.sleep(0.5)


def test_the_log_lists_a_broadcast_with_each_receivers_report(as_user, site):
    token = secrets.token_hex(3)
    title = f"Kiểm tra nhật ký <script>alert(1)</script> {token}"
    entry = air_and_wait(site, title)
    reports = {r["receiver"]: r for r in entry["receivers"]}
    assert set(reports) == {"rx-dong-01", "rx-dong-02"}
    # The log names who aired it, though it had no schedule.
    assert entry["requestedBy"] == "chu-tich", entry

    for viewport in (PHONE, DESKTOP):
        page = as_user("thanh-tra", viewport)
        page.goto(f"{site.url}/nhat-ky")
        expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký phát thanh")
        item = page.locator(".log-entry").filter(has_text=token)
        expect(item).to_have_count(1)
        # The title is text, not markup.
        expect(item.locator("h2 .title")).to_have_text(title)
        expect(item).to_contain_text("Thôn Đông")
        expect(item).to_contain_text("chu-tich (phát ngay, ngoài lịch)")
        expect(item.locator(".log-outcome")).to_have_text(
            {"completed": "đã phát xong", "partial": "phát chưa đủ loa"}.get(entry["outcome"], re.compile(".+"))
        )
        played = sum(1 for r in reports.values() if r["state"] in ("played", "played-with-gaps"))
        acked = sum(1 for r in reports.values() if r.get("ackedAt"))
        summary = item.locator("summary")
        expect(summary).to_have_text(f"Cụm loa: {acked}/2 nhận lệnh, {played}/2 phát trọn")
        summary.click()
        for id, name in (("rx-dong-01", "Cụm loa đầu thôn Đông"), ("rx-dong-02", "Cụm loa nhà văn hóa thôn Đông")):
            line = item.locator(".log-reports li").filter(has=page.locator(f'a[href="/loa/{id}"]'))
            expect(line).to_contain_text(name)
            if reports[id].get("ackedAt"):
                expect(line).to_contain_text(re.compile(r"Nhận lệnh: \d\d/\d\d/\d{4} \d\d:\d\d"))
            if reports[id]["state"] == "played":
                expect(line.locator(".log-report")).to_have_text("đã phát xong")
        assert english_left(page) == [], page.locator("body").inner_text() + page.title()
        screenshot(page, "nhat-ky")

    # One hamlet: Thôn Tây's log has not this broadcast.
    page.goto(f"{site.url}/nhat-ky")
    page.get_by_label("Chọn thôn").select_option("thon-tay")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r".*/nhat-ky\?thon=thon-tay&ngay=$"))
    expect(page.locator(".log-entry").filter(has_text=token)).to_have_count(0)
    page.get_by_label("Chọn thôn").select_option("thon-dong")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r".*/nhat-ky\?thon=thon-dong&ngay=$"))
    expect(page.locator(".log-entry").filter(has_text=token)).to_have_count(1)
    assert english_left(page) == [], page.locator("body").inner_text() + page.title()

    # One day, typed as officers write dates (dd/MM/yyyy in the commune's time), whatever the browser's locale.
    today = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    yesterday = today - datetime.timedelta(days=1)
    page.get_by_label("Ngày (để trống: mọi ngày)").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Xem").click()
    expect(page.locator(".log-entry").filter(has_text=token)).to_have_count(1)
    expect(page.get_by_label("Ngày (để trống: mọi ngày)")).to_have_value(today.strftime("%d/%m/%Y"))
    page.get_by_label("Ngày (để trống: mọi ngày)").fill(yesterday.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_label("Ngày (để trống: mọi ngày)")).to_have_value(yesterday.strftime("%d/%m/%Y"))
    expect(page.locator(".log-entry").filter(has_text=token)).to_have_count(0)
