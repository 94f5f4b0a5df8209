""""Lịch phát" (issue 16): an operator drafts the commune's daily 05:00/17:00 programme from text, listening to it
first; the chairman approves it and sees it in the week; an MP3 upload with its progress, length and loudness;
titles are text; no English left.

Everything made here starts tomorrow (the site's date) at the earliest and is removed at the end, so nothing
airs while the checks run and nothing clashes with the other checks' slots.
"""

import datetime
import json
import re
import subprocess
import uuid
from zoneinfo import ZoneInfo

import pytest
from conftest import DESKTOP, PHONE, english_left, screenshot
from playwright.sync_api import Page, expect

SITE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def site_today() -> datetime.date:
    return datetime.datetime.now(SITE_ZONE).date()


def tomorrow() -> str:
    return (site_today() + datetime.timedelta(days=1)).isoformat()


def typed(iso: str) -> str:
    """A date as the form takes it: dd/MM/yyyy."""
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def queued(page: Page, title: str):
    """The queue's entry of the draft titled `title`."""
    return page.locator("#queue li", has_text=title)


def remove(site, schedule_id: str) -> None:
    site.loa("schedule", "rm", schedule_id, user="chu-tich")


def open_schedule(page: Page, site, week: str | None = None) -> None:
    page.goto(f"{site.url}/lich-phat" + (f"?tuan={week}" if week else ""))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch phát")


def test_an_operator_drafts_the_daily_programme_and_the_chairman_approves_it(as_user, site):
    title = f"Bản tin sáng chiều {uuid.uuid4().hex[:6]}"
    start = tomorrow()
    day_off = (datetime.date.fromisoformat(start) + datetime.timedelta(days=1)).isoformat()
    operator = as_user("can-bo-van-hoa")
    open_schedule(operator, site)
    schedule_id = None
    try:
        operator.get_by_label("Tiêu đề").fill(title)
        operator.get_by_label("Văn bản cần đọc").fill(
            "Kính thưa bà con, sau đây là bản tin của Ủy ban nhân dân xã An Phú."
        )
        # Listen first: the gateway reads it aloud and the page plays it.
        operator.get_by_role("button", name="Nghe thử").click()
        audio = operator.locator("#preview-audio")
        expect(audio).to_have_attribute("src", re.compile(r"^blob:"), timeout=30_000)
        expect(operator.locator("#preview-length")).to_have_text(re.compile(r"^Thời lượng 00:(0[1-9]|[1-5]\d)$"))

        # Daily at 05:00 and 17:00 is the form's default; for Thôn Đông and Thôn Tây, from tomorrow.
        expect(operator.get_by_label("Hằng ngày")).to_be_checked()
        assert [time.input_value() for time in operator.locator("input[name=time]").all()] == ["05:00", "17:00"]
        operator.get_by_label("Thôn Đông").check()
        operator.get_by_label("Thôn Tây").check()
        operator.get_by_label("Từ ngày (không bắt buộc)").fill(typed(start))
        # A day off (Tết, say): the day after tomorrow.
        operator.get_by_label("Ngày nghỉ").fill(typed(day_off))
        operator.get_by_role("button", name="Thêm ngày").click()
        expect(operator.locator("#skip-list li")).to_have_text([re.compile(re.escape(typed(day_off)))])
        operator.get_by_role("button", name="Lưu và gửi duyệt").click()
        expect(operator.locator("#schedule-status")).to_have_text("Đã lưu, đang chờ duyệt.")

        entry = queued(operator, title)
        expect(entry).to_contain_text("Hằng ngày lúc 05:00, 17:00")
        expect(entry).to_contain_text("Thôn Đông, Thôn Tây")
        expect(entry).to_contain_text(f"Không phát các ngày: {typed(day_off)}")
        schedule_id = entry.get_attribute("data-id")
        assert schedule_id

        # The operator is offered no approval, and the API refuses it from this very session.
        expect(operator.locator("button.approve")).to_have_count(0)
        csrf = operator.locator("#schedule-page").get_attribute("data-csrf")
        refused = operator.request.post(
            f"{site.url}/api/v1/schedules/{schedule_id}/approve", headers={"X-CSRF-Token": csrf}
        )
        assert refused.status == 403
        assert site.loa_json("schedule", "show", schedule_id, user="chu-tich")["approval"] == "draft"
        assert english_left(operator) == []
        screenshot(operator, "lich-phat-can-bo")

        # The chairman approves it, and sees it in tomorrow's week at 05:00 and 17:00.
        chairman = as_user("chu-tich")
        open_schedule(chairman, site)
        queued(chairman, title).get_by_role("button", name="Duyệt").click()
        expect(chairman.locator("#schedule-status")).to_have_text("Đã duyệt.")
        expect(queued(chairman, title)).to_have_count(0)
        assert site.loa_json("schedule", "show", schedule_id, user="chu-tich")["approval"] == "approved"

        open_schedule(chairman, site, start)
        day = chairman.locator(f'li.day[data-date="{start}"]')
        for time in ("05:00", "17:00"):
            slot = day.locator("li.slot", has_text=title).filter(has=chairman.locator("time", has_text=time))
            expect(slot).to_have_count(1)
            expect(slot).not_to_have_class(re.compile("waiting"))
        open_schedule(chairman, site, day_off)
        expect(chairman.locator(f'li.day[data-date="{day_off}"] li.slot', has_text=title)).to_have_count(0)
        open_schedule(chairman, site, start)
        # Not before it starts.
        yesterday = (datetime.date.fromisoformat(start) - datetime.timedelta(days=1)).isoformat()
        expect(chairman.locator(f'li.day[data-date="{yesterday}"] li.slot', has_text=title)).to_have_count(0)
        assert english_left(chairman) == []
        for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
            chairman.set_viewport_size(viewport)
            screenshot(chairman, "lich-phat-chu-tich")
    finally:
        if schedule_id:
            remove(site, schedule_id)


def test_an_mp3_upload_shows_its_progress_then_its_length_and_loudness(as_user, site, tmp_path):
    wav = tmp_path / "tone.wav"
    mp3 = tmp_path / "thong-bao.mp3"
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "1", str(wav), "synth", "7", "sine", "440", "vol", "0.3"], check=True)
    subprocess.run(["lame", "--quiet", "-b", "128", str(wav), str(mp3)], check=True)

    page = as_user("can-bo-van-hoa", PHONE)
    open_schedule(page, site)
    page.get_by_label("Tệp âm thanh (MP3, WAV)").check()
    expect(page.get_by_label("Văn bản cần đọc")).to_be_hidden()
    page.get_by_label("Chọn tệp").set_input_files(str(mp3))
    page.get_by_role("button", name="Tải tệp lên").click()
    progress = page.locator("#upload-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("value", "100", timeout=30_000)
    result = page.locator("#upload-result")
    expect(result).to_have_text(re.compile(r"^Thời lượng 00:07 · Độ to gốc -?\d+,\d LUFS → -?\d+,\d LUFS sau chuẩn hoá$"), timeout=60_000)
    asset = page.locator("#asset").input_value()
    assert re.fullmatch(r"[0-9a-f]{64}", asset)
    screenshot(page, "lich-phat-tai-len")

    # The file is the content of the next schedule: a month from now, for Xóm Bãi only.
    day = (site_today() + datetime.timedelta(days=30)).isoformat()
    expect(page.get_by_label("Tiêu đề")).to_have_value("thong-bao")
    page.get_by_label("Tiêu đề").fill("Thông báo thu thuế đất")
    page.get_by_label("Xóm Bãi").check()
    page.get_by_label("Từ ngày (không bắt buộc)").fill(typed(day))
    page.get_by_label("Đến ngày (không bắt buộc)").fill(typed(day))
    page.get_by_role("button", name="Lưu và gửi duyệt").click()
    expect(page.locator("#schedule-status")).to_have_text("Đã lưu, đang chờ duyệt.")
    entry = queued(page, "Thông báo thu thuế đất")
    expect(entry).to_contain_text("Phát tệp âm thanh")
    schedule_id = entry.get_attribute("data-id")
    try:
        shown = site.loa_json("schedule", "show", schedule_id, user="chu-tich")
        assert shown["announcement"]["content"] == {"audio": {"assetID": asset}}
        assert english_left(page) == []
    finally:
        remove(site, schedule_id)


def test_a_refused_draft_shows_why_in_vietnamese_and_an_approved_programme_is_edited_for_approval(as_user, site):
    start = tomorrow()
    first = site.loa_json(
        "schedule", "add", "--text", "Lịch họp chi bộ", "--title", "Họp chi bộ", "--daily", "20:15",
        "--zones", "trung-tam", "--from", start, user="can-bo-van-hoa"
    )
    # Drafts never block anyone: the clash below is with an approved programme.
    site.loa("schedule", "approve", first["id"], user="chu-tich")
    created = []
    try:
        page = as_user("can-bo-van-hoa")
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_schedule(page, site)
        # The same minute, place and priority: the API's refusal, worded for the commune.
        page.get_by_label("Tiêu đề").fill("Họp chi bộ lần hai")
        page.get_by_label("Văn bản cần đọc").fill("Lịch họp chi bộ lần hai")
        for time in page.locator("input[name=time]").all():
            time.fill("20:15")
        page.get_by_label("Trung tâm xã").check()
        page.get_by_label("Từ ngày (không bắt buộc)").fill(typed(start))
        # Times are 24-hour whatever the browser's locale: a wrong one is named before anything is sent.
        page.locator("input[name=time]").first.fill("25:00")
        page.get_by_role("button", name="Lưu và gửi duyệt").click()
        expect(page.locator("#form-error")).to_have_text("Giờ phải viết dạng 24 giờ, ví dụ 05:00 hoặc 17:30.")
        page.locator("input[name=time]").first.fill("20:15")
        page.get_by_role("button", name="Lưu và gửi duyệt").click()
        expect(page.locator("#form-error")).to_have_text(
            re.compile(r"^Trùng giờ với lịch khác cùng mức ưu tiên: “Họp chi bộ” \d\d/\d\d/\d{4} 20:15$")
        )

        # "Sửa" on the approved programme: the form takes it; saving proposes a revision that waits for the
        # chairman under the same id, while the approved one stays in the approved list.
        page.reload()
        page.locator(f'#approved li[data-id="{first["id"]}"]').get_by_role("button", name="Sửa").click()
        expect(page.get_by_label("Tiêu đề")).to_have_value("Họp chi bộ")
        expect(page.get_by_label("Văn bản cần đọc")).to_have_value("Lịch họp chi bộ")
        expect(page.get_by_label("Trung tâm xã")).to_be_checked()
        expect(page.get_by_label("Từ ngày (không bắt buộc)")).to_have_value(typed(start))
        assert [time.input_value() for time in page.locator("input[name=time]").all()] == ["20:15"]
        page.get_by_label("Tiêu đề").fill("Họp chi bộ tháng này")
        page.get_by_role("button", name="Lưu và gửi duyệt").click()
        expect(page.locator("#schedule-status")).to_have_text("Đã lưu, đang chờ duyệt.")
        entry = page.locator(f'#queue li[data-id="{first["id"]}"]')
        expect(entry).to_contain_text("Thay đổi chờ duyệt, bản đang phát giữ nguyên: tiêu đề: Họp chi bộ → Họp chi bộ tháng này")
        expect(entry).to_contain_text("Đề nghị bởi can-bo-van-hoa")
        expect(page.locator(f'#approved li[data-id="{first["id"]}"]')).to_contain_text("Họp chi bộ")
        screenshot(page, "schedule-revision-waiting")
        assert errors == []
    finally:
        for schedule_id in [first["id"], *created]:
            try:
                remove(site, schedule_id)
            except AssertionError:
                pass  # Already removed.


def test_a_title_holding_a_script_is_shown_as_text(as_user, site):
    title = "<script>alert(1)</script>"
    added = site.loa_json(
        "schedule", "add", "--text", "Thông báo", "--title", title, "--daily", "19:05", "--zones", "xom-bai",
        "--from", tomorrow(), user="can-bo-van-hoa"
    )
    try:
        dialogs = []
        page = as_user("chu-tich")
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        open_schedule(page, site, tomorrow())
        expect(queued(page, title).locator(".title")).to_have_text(title)
        expect(page.locator(f'li.day[data-date="{tomorrow()}"] .title', has_text=title)).to_have_count(1)
        assert dialogs == []
        assert english_left(page) == []
    finally:
        remove(site, added["id"])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_viewer_reads_the_week_without_controls(as_user, site, viewport):
    page = as_user("thanh-tra", viewport)
    open_schedule(page, site)
    expect(page.locator("ol.week > li.day")).to_have_count(7)
    expect(page.locator("#schedule-form")).to_have_count(0)
    expect(page.locator("button.approve, button.cancel, button.edit")).to_have_count(0)
    page.get_by_role("link", name="Tuần sau ›").click()
    expect(page).to_have_url(re.compile(r"/lich-phat\?tuan=\d{4}-\d\d-\d\d$"))
    assert english_left(page) == []
    screenshot(page, "lich-phat-thanh-tra")
