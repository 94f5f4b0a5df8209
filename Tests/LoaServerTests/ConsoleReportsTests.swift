import Foundation
import Hummingbird
import HummingbirdTesting
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaHTTP

/// "Báo cáo" in-process (issue 16), on the sample commune (`StationHarness`, whose clock reads 29/11/2025
/// 10:00 in Hồ Chí Minh City): the month's page, its CSV, the month links, and refusals.
@Suite("The console's reports")
struct ConsoleReportsTests {
    static func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    /// November 2025's log on the station: a normal broadcast to Thôn Đông (10 min), an emergency to the whole
    /// commune from a schedule chu-tich made (2 min 05 s, cut), a failed one, a broadcast from October, and
    /// one whose title tries a spreadsheet formula and holds a comma, quotes and a line break.
    static func station() async throws -> StationHarness {
        let station = try await StationHarness()
        let draft = ScheduleDraft(
            announcement: Announcement(title: "Báo lũ", content: .tts(text: "Nước lên", voice: "vi")),
            recurrence: .daily(times: [try LocalTime(parsing: "06:00")]),
            targets: .all,
            priority: .emergency
        )
        let flood = try await station.book.addSchedule(draft, by: .chuTich)
        let entries = [
            BroadcastLogEntry(
                scheduleID: nil,
                title: "Bản tin sáng",
                priority: .normal,
                targets: .zones(["thon-dong"]),
                plannedAt: instant("2025-11-03T22:00:00Z"),
                plannedLocal: "2025-11-04 05:00",
                startedAt: instant("2025-11-03T22:00:01.250Z"),
                endedAt: instant("2025-11-03T22:10:01.250Z"),
                outcome: .completed
            ),
            BroadcastLogEntry(
                scheduleID: flood.id,
                title: "Báo lũ",
                priority: .emergency,
                targets: .all,
                plannedAt: instant("2025-11-10T23:00:00Z"),
                plannedLocal: "2025-11-11 06:00",
                startedAt: instant("2025-11-10T23:00:00Z"),
                endedAt: instant("2025-11-10T23:02:05Z"),
                outcome: .interrupted,
                detail: "stopped by chu-tich",
                requestedBy: "chu-tich"
            ),
            BroadcastLogEntry(
                scheduleID: nil,
                title: "Hỏng",
                priority: .priority,
                targets: .zones(["thon-tay"]),
                plannedAt: instant("2025-11-12T01:00:00Z"),
                plannedLocal: "now",
                startedAt: instant("2025-11-12T01:00:00Z"),
                endedAt: instant("2025-11-12T01:00:03Z"),
                outcome: .failed,
                detail: "no receiver played it"
            ),
            BroadcastLogEntry(
                scheduleID: nil,
                title: "=HYPERLINK(\"http://x\",\"bấm\"), \"thôn\"\nhai dòng",
                priority: .live,
                targets: .receivers(["rx-tay-01"]),
                plannedAt: instant("2025-11-20T02:00:00Z"),
                plannedLocal: "now",
                startedAt: instant("2025-11-20T02:00:00Z"),
                endedAt: instant("2025-11-20T02:00:30Z"),
                outcome: .completed
            ),
            BroadcastLogEntry(
                scheduleID: nil,
                title: "Tháng trước",
                priority: .normal,
                targets: .all,
                plannedAt: instant("2025-10-31T16:30:00Z"),
                plannedLocal: "2025-10-31 23:30",
                startedAt: instant("2025-10-31T16:30:00Z"),
                endedAt: instant("2025-10-31T16:31:00Z"),
                outcome: .completed
            ),
        ]
        for entry in entries { _ = try await station.database.append(entry) }
        return station
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, _ cookie: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    @Test func thePageShowsThisMonthsFiguresInTheSitesZone() async throws {
        let station = try await Self.station()
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, client: client)
            let answer = try await Self.get(client, "/bao-cao", cookie)
            #expect(answer.status == .ok)
            let page = ConsolePageTests.html(answer)
            #expect(page.contains("Báo cáo hoạt động truyền thanh tháng 11/2025 <span class=\"date\">Xã An Phú</span>"))
            #expect(page.contains("Từ ngày 01/11/2025 đến ngày 30/11/2025"))
            #expect(page.contains(#"<dd id="report-broadcasts">4</dd>"#))
            // 600 + 125 + 30 s aired; the failed one's 3 s do not count.
            #expect(page.contains("<dt>Tổng thời lượng phát</dt><dd>12 phút 35 giây</dd>"))
            #expect(page.contains("<dt>Bị cắt ngang</dt><dd>1</dd>"))
            #expect(page.contains("<dt>Không phát được (lỗi, lỡ giờ, bị bỏ qua)</dt><dd>1</dd>"))
            #expect(page.contains(#"<tr><th scope="row">Thường</th><td>1</td><td>1</td><td>10 phút 00 giây</td></tr>"#))
            #expect(page.contains(#"<tr><th scope="row">Ưu tiên</th><td>1</td><td>0</td><td>0 giây</td></tr>"#))
            #expect(
                page.contains(#"<tr><th scope="row">Khẩn cấp</th><td>1</td><td>1</td><td>2 phút 05 giây</td></tr>"#)
            )
            // Thôn Đông: the morning news and the emergency; Thôn Tây: the emergency, the failed one and the
            // broadcast to its receiver.
            #expect(
                page.contains(#"<tr><th scope="row">Thôn Đông</th><td>2</td><td>2</td><td>12 phút 05 giây</td></tr>"#)
            )
            #expect(
                page.contains(#"<tr><th scope="row">Thôn Tây</th><td>3</td><td>2</td><td>2 phút 35 giây</td></tr>"#)
            )
            #expect(page.contains(#"<tr><th scope="row">Xóm Bãi</th><td>1</td><td>1</td><td>2 phút 05 giây</td></tr>"#))
            // The emergency: when (local), title, who made its schedule, how long, where.
            #expect(
                page.contains(
                    #"<time datetime="2025-11-10T23:00:00Z">11/11/2025 06:00</time> <span class="title">Báo lũ</span>"#
                )
            )
            #expect(page.contains("Người yêu cầu: chu-tich · thời lượng 2 phút 05 giây · bị cắt ngang"))
            #expect(page.contains("Nơi phát: Thôn Đông, Thôn Tây, Xóm Bãi, Trung tâm xã"))
            // Availability: the sample's five receivers, none heard from; the period is said.
            #expect(page.contains("hoạt động trong tháng, tính đến 29/11/2025 10:00."))
            #expect(!page.contains("có thể không đủ"))
            #expect(page.contains("Cụm loa bến đò Xóm Bãi"))
            #expect(page.contains("chưa có số liệu"))
            // The month links: October, and no month after this one; the CSV; the print button's script.
            #expect(page.contains(#"href="/bao-cao?thang=2025-10" rel="prev""#))
            #expect(!page.contains(#"rel="next""#))
            #expect(page.contains(#"href="/bao-cao.csv?thang=2025-11" download"#))
            #expect(page.contains(#"<script src="/static/reports.js" defer></script>"#))
            // The printout's heading and signatures.
            #expect(page.contains("UBND XÃ AN PHÚ"))
            #expect(page.contains("Người lập báo cáo"))
            #expect(page.contains("Chủ tịch UBND xã"))
            #expect(page.contains("Xã An Phú, ngày 29/11/2025"))
        }
    }

    @Test func anotherMonthHasItsOwnFiguresAndLinks() async throws {
        let station = try await Self.station()
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, client: client)
            let page = ConsolePageTests.html(try await Self.get(client, "/bao-cao?thang=2025-10", cookie))
            #expect(page.contains("tháng 10/2025"))
            #expect(page.contains(#"<dd id="report-broadcasts">1</dd>"#))
            #expect(page.contains(#"href="/bao-cao?thang=2025-11" rel="next""#))
            #expect(page.contains(#"href="/bao-cao?thang=2025-09" rel="prev""#))
            #expect(page.contains("Tháng này không có buổi phát khẩn cấp nào."))
            #expect(page.contains("hoạt động trong tháng, tính đến 01/11/2025 00:00."))
            #expect(page.contains("có thể không đủ"))

            let english = ConsolePageTests.html(try await Self.get(client, "/bao-cao?thang=2025-11&lang=en", cookie))
            #expect(english.contains("Broadcasting report for 11/2025"))
            #expect(english.contains("<dt>Total airtime</dt><dd>12 min 35 s</dd>"))

            let wrong = try await Self.get(client, "/bao-cao?thang=2025-13", cookie)
            #expect(wrong.status == .badRequest)
            #expect(ConsolePageTests.html(wrong).contains("must be YYYY-MM"))
            let wrongFile = try await Self.get(client, "/bao-cao.csv?thang=tet", cookie)
            #expect(wrongFile.status == .badRequest)
            #expect(wrongFile.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test func theCSVIsExcelReadyEscapedAndAgreesWithThePage() async throws {
        let station = try await Self.station()
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, client: client)
            let answer = try await Self.get(client, "/bao-cao.csv?thang=2025-11", cookie)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(answer.headers[.contentDisposition] == #"attachment; filename="bao-cao-2025-11.csv""#)
            let bytes = Array(buffer: answer.body)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.hasSuffix("\r\n"))
            #expect(text.contains("Xã,Xã An Phú\r\nTháng,2025-11\r\nMúi giờ,Asia/Ho_Chi_Minh\r\n"))
            #expect(
                text.contains(
                    "Mã,Dự kiến,Bắt đầu,Kết thúc,Thời lượng (giây),Mức ưu tiên,Kết quả,Nơi phát,Các thôn,Người yêu cầu,Nội dung,Ghi chú\r\n"
                )
            )
            #expect(
                text.contains(
                    ",04/11/2025 05:00:00,04/11/2025 05:00:01,04/11/2025 05:10:01,600,Thường,đã phát xong,Thôn Đông,Thôn Đông,,Bản tin sáng,\r\n"
                )
            )
            #expect(
                text.contains(
                    ",125,Khẩn cấp,bị cắt ngang,Toàn xã,Thôn Đông; Thôn Tây; Xóm Bãi; Trung tâm xã,chu-tich,Báo lũ,stopped by chu-tich\r\n"
                )
            )
            // The formula is neutralised, then the field quoted with its quotes doubled and its line break kept.
            #expect(
                text.contains(
                    #",Loa: Cụm loa chợ thôn Tây,Thôn Tây,,"'=HYPERLINK(""http://x"",""bấm""), ""thôn"""#
                        + "\nhai dòng\","
                )
            )
            #expect(!text.contains("Tháng trước"))
            #expect(
                text.contains(
                    "Thường,1,1,600,0:10:00\r\nƯu tiên,1,0,0,0:00:00\r\nTrực tiếp,1,1,30,0:00:30\r\nKhẩn cấp,1,1,125,0:02:05\r\n"
                )
            )
            #expect(text.contains("thon-dong,Thôn Đông,2,2,725,0:12:05\r\n"))
            #expect(
                text.contains(
                    "Số buổi,Đã phát,Thời lượng (giây),Thời lượng (giờ:phút:giây),Bị cắt ngang,Không phát được,Đang phát hoặc chờ\r\n4,3,755,0:12:35,1,1,0\r\n"
                )
            )
            #expect(text.contains("rx-bai-01,Cụm loa bến đò Xóm Bãi,Xóm Bãi,\r\n"))
            #expect(text.contains("Xóm Bãi,1,0,\r\n"))

            let english = try await client.execute(
                uri: "/bao-cao.csv?thang=2025-11",
                method: .get,
                headers: [.cookie: cookie + "; lang=en"]
            )
            #expect(
                String(buffer: english.body).contains(
                    "Priority,Broadcasts,Aired,Airtime (seconds),Airtime (h:mm:ss)\r\nNormal,1,1,600,0:10:00"
                )
            )
        }
    }

    @Test func withoutASessionTheReportAndItsFileSendTheBrowserToSignIn() async throws {
        let station = try await Self.station()
        try await station.application().test(.router) { client in
            for uri in ["/bao-cao", "/bao-cao.csv?thang=2025-11"] {
                let answer = try await client.execute(uri: uri, method: .get)
                #expect(answer.status == .seeOther, "\(uri)")
                #expect(answer.headers[.location] == "/dang-nhap", "\(uri)")
            }
            let script = try await client.execute(uri: "/static/reports.js", method: .get)
            #expect(String(buffer: script.body).contains("window.print()"))
            let style = String(buffer: try await client.execute(uri: "/static/console.css", method: .get).body)
            #expect(style.contains("@media print"))
            #expect(style.contains("size: A4"))
        }
    }

    @Test func aSpreadsheetNeverRunsATitle() {
        #expect(MonthlyReportCSV.escape("Bản tin") == "Bản tin")
        #expect(MonthlyReportCSV.escape("=1+1") == "'=1+1")
        #expect(MonthlyReportCSV.escape("+84 912") == "'+84 912")
        #expect(MonthlyReportCSV.escape("-2") == "'-2")
        #expect(MonthlyReportCSV.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(MonthlyReportCSV.escape("\t=1") == "'\t=1")
        #expect(MonthlyReportCSV.escape("a,b") == "\"a,b\"")
        #expect(MonthlyReportCSV.escape("nói \"to\"") == "\"nói \"\"to\"\"\"")
        #expect(MonthlyReportCSV.escape("hai\r\ndòng") == "\"hai\r\ndòng\"")
        #expect(MonthlyReportCSV.escape("=a,b") == "\"'=a,b\"")
        #expect(MonthlyReportCSV.clock(3725) == "1:02:05")
        #expect(ConsoleFormat.airtime(3725, .vi) == "1 giờ 02 phút")
        #expect(ConsoleFormat.airtime(59, .en) == "59 s")
    }
}
