"""Báo cáo (reports, issue 16): the month's page at phone and desktop size, its A4 printout, and the month's
CSV downloaded in the browser, whose figures must equal what `loa log --json` says for the same month."""

import csv
import datetime
import io
import time
import zoneinfo

from conftest import DESKTOP, PHONE, SCREENSHOTS, english_left, screenshot
from playwright.sync_api import expect

FINAL = {"completed", "partial", "interrupted", "missed", "failed", "dropped"}
AIRED = {"completed", "partial", "interrupted"}
PRIORITIES = {"Thường": "normal", "Ưu tiên": "priority", "Trực tiếp": "live", "Khẩn cấp": "emergency"}


def instant(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def air_and_wait(site, announcements) -> None:
    """Airs each (text, zone, priority) now and waits until every one of them has ended."""
    ids = []
    for text, zone, priority in announcements:
        receipt = site.loa_json(
            "announce", "--text", text, "--zones", zone, "--priority", priority, "--no-chime", user="chu-tich"
        )
        ids.append(receipt["broadcastID"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        entries = {entry["id"]: entry for entry in site.loa_json("log", "--limit", "50", user="thanh-tra")}
        if all(entries.get(i, {}).get("outcome") in FINAL for i in ids):
            assert all(entries[i]["outcome"] in AIRED for i in ids), [entries[i] for i in ids]
            return
        time.sleep(0.5)
    raise AssertionError(f"broadcasts {ids} did not end within 2 minutes")


def month_log(site, month: str, zone: zoneinfo.ZoneInfo) -> list[dict]:
    """`loa log --json` for the month: every entry planned from the 1st, local midnight, to the next 1st."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime.datetime(year, number, 1, tzinfo=zone)
    end = datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    entries = site.loa_json("log", "--since", f"{month}-01", "--limit", "100000", user="thanh-tra")
    return [entry for entry in entries if start <= instant(entry["plannedAt"]) < end]


def aired(entry: dict) -> bool:
    """The report's rule: it aired when it ended completed, partial or interrupted, with a start and an end."""
    return entry["outcome"] in AIRED and bool(entry.get("startedAt")) and bool(entry.get("endedAt"))


def airtime_seconds(entry: dict) -> int:
    """The report's rule: end - start of an aired entry in whole milliseconds, rounded half up to seconds."""
    if not aired(entry):
        return 0
    milliseconds = (instant(entry["endedAt"]) - instant(entry["startedAt"])) // datetime.timedelta(milliseconds=1)
    return (max(0, milliseconds) + 500) // 1000


def section(rows: list[list[str]], title: str) -> list[list[str]]:
    """The rows of a CSV section: after its title row and its header row, up to the blank row."""
    start = next(index for index, row in enumerate(rows) if row[:1] == [title]) + 2
    end = next(index for index in range(start, len(rows) + 1) if index == len(rows) or not any(rows[index]))
    return rows[start:end]


def download_csv(page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator("#report-csv").click()
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def test_the_months_csv_matches_the_log(as_user, site):
    air_and_wait(
        site,
        [
            ("Thông báo thử báo cáo tháng, thôn Đông.", "thon-dong", "normal"),
            ("Thông báo ưu tiên thử báo cáo, thôn Tây.", "thon-tay", "priority"),
        ],
    )
    page = as_user("thanh-tra")
    page.get_by_role("navigation", name="Các trang").get_by_role("link", name="Báo cáo", exact=True).click()
    page.wait_for_url(f"{site.url}/bao-cao")
    month = page.locator("[data-month]").get_attribute("data-month")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{month[5:]}/{month[:4]}")

    for attempt in range(3):
        zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
        before = month_log(site, month, zone)
        name, data = download_csv(page)
        after = month_log(site, month, zone)
        if [(e["id"], e["outcome"]) for e in before] == [(e["id"], e["outcome"]) for e in after]:
            break
        time.sleep(2)  # something aired meanwhile: read both again
    else:
        raise AssertionError("the log kept changing while the CSV was read")
    log = after

    assert name == f"bao-cao-{month}.csv"
    assert data.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte-order mark for Excel"
    text = data[3:].decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert ["Múi giờ", "Asia/Ho_Chi_Minh"] in rows
    assert ["Tháng", month] in rows

    broadcasts = section(rows, "Các buổi phát")
    assert len(broadcasts) == len(log) >= 2
    assert sorted(int(row[0]) for row in broadcasts) == sorted(entry["id"] for entry in log)
    by_id = {int(row[0]): row for row in broadcasts}
    for entry in log:
        assert int(by_id[entry["id"]][4]) == airtime_seconds(entry), entry
    ours = [row for row in broadcasts if row[10].startswith("Thông báo thử báo cáo tháng")]
    assert ours and ours[-1][8] == "Thôn Đông" and int(ours[-1][4]) > 0

    by_priority = {PRIORITIES[row[0]]: row for row in section(rows, "Theo mức ưu tiên")}
    assert set(by_priority) == set(PRIORITIES.values())
    for priority, row in by_priority.items():
        mine = [entry for entry in log if entry["priority"] == priority]
        assert int(row[1]) == len(mine), priority
        assert int(row[2]) == sum(1 for entry in mine if aired(entry)), priority
        assert int(row[3]) == sum(airtime_seconds(entry) for entry in mine), priority
    assert int(by_priority["priority"][3]) > 0

    totals = section(rows, "Tổng cộng")[0]
    assert int(totals[0]) == len(log)
    assert int(totals[1]) == sum(1 for entry in log if aired(entry))
    assert int(totals[2]) == sum(airtime_seconds(entry) for entry in log)
    assert int(totals[4]) == sum(1 for entry in log if entry["outcome"] == "interrupted")
    assert int(totals[5]) == sum(1 for entry in log if entry["outcome"] in {"failed", "missed", "dropped"})

    # The page says the same count.
    page.reload()
    expect(page.locator("#report-broadcasts")).to_have_text(str(len(log)))


def test_the_report_page_on_a_phone_and_a_desktop(as_user, site):
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = as_user("chu-tich", viewport)
        page.goto(f"{site.url}/bao-cao")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo hoạt động truyền thanh tháng")
        expect(page.get_by_role("heading", name="Từng thôn", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Từng mức ưu tiên", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="In báo cáo")).to_be_visible()
        expect(page.get_by_label("Tháng", exact=True)).to_be_visible()
        expect(page.get_by_text("hoạt động trong tháng, tính đến")).to_be_visible()
        # The signature block is for the printout only.
        expect(page.get_by_text("Người lập báo cáo")).to_be_hidden()
        # Nothing wider than the screen: no sideways scrolling on a phone.
        for table in page.locator("table").all():
            box = table.bounding_box()
            assert box["x"] + box["width"] <= viewport["width"], name
        screenshot(page, "bao-cao")
        assert english_left(page) == []

    # The month before, through the link; the month picker; then back.
    page.get_by_role("link", name="Tháng trước").click()
    expect(page.get_by_role("link", name="Tháng sau")).to_be_visible()
    expect(page.get_by_text("hoạt động trong tháng, tính đến")).to_be_visible()
    page.get_by_label("Tháng", exact=True).fill("2025-01")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"{site.url}/bao-cao?thang=2025-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("01/2025")


def test_the_report_prints_as_a_clean_a4_page(as_user, site):
    page = as_user("chu-tich", DESKTOP)
    page.goto(f"{site.url}/bao-cao")
    page.emulate_media(media="print")
    for hidden in (page.get_by_role("navigation", name="Các trang"), page.locator(".bar"),
                   page.get_by_role("button", name="In báo cáo"), page.locator("#report-csv")):
        expect(hidden).to_be_hidden()
    expect(page.get_by_text("Người lập báo cáo")).to_be_visible()
    expect(page.get_by_text("Chủ tịch UBND xã")).to_be_visible()
    expect(page.get_by_text("UBND XÃ AN PHÚ")).to_be_visible()
    expect(page.get_by_text("Độc lập – Tự do – Hạnh phúc")).to_be_visible()
    screenshot(page, "bao-cao-in")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "bao-cao-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
