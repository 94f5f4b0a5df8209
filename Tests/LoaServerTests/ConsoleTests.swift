import Foundation
import Hummingbird
import HummingbirdTesting
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaHTTP
@testable import LoaServer

/// The web console's foundation (issue 16): dates and times in the site's zone, the one string catalogue,
/// the bundled templates and files.
@Suite("The console's strings, times and files")
struct ConsoleBasicsTests {
    static let hoChiMinh = ConsoleTime(timeZoneIdentifier: "Asia/Ho_Chi_Minh")

    @Test func datesAndTimesAreTheSitesDdMMYyyyAnd24Hour() throws {
        let instant = try Date("2026-12-06T22:30:00Z", strategy: .iso8601)
        #expect(Self.hoChiMinh.date(instant) == "07/12/2026")
        #expect(Self.hoChiMinh.time(instant) == "05:30")
        #expect(Self.hoChiMinh.dateTime(instant) == "07/12/2026 05:30")
        let afternoon = try Date("2026-03-04T10:05:00Z", strategy: .iso8601)
        #expect(Self.hoChiMinh.dateTime(afternoon) == "04/03/2026 17:05")
        #expect(ConsoleTime(timeZoneIdentifier: "UTC").dateTime(instant) == "06/12/2026 22:30")
    }

    @Test func daysCountInTheSitesZoneNotUTC() throws {
        // 16:30Z is 23:30 in Hồ Chí Minh City; 17:30Z is already the next local day there.
        let evening = try Date("2026-12-06T16:30:00Z", strategy: .iso8601)
        let pastMidnight = try Date("2026-12-06T17:30:00Z", strategy: .iso8601)
        #expect(Self.hoChiMinh.daysBetween(evening, pastMidnight) == 1)
        #expect(ConsoleTime(timeZoneIdentifier: "UTC").daysBetween(evening, pastMidnight) == 0)
        #expect(Self.hoChiMinh.date(Self.hoChiMinh.adding(days: 1, to: evening)) == "07/12/2026")
    }

    @Test func theLanguageIsTheQueryThenTheCookieThenVietnamese() {
        #expect(ConsoleLanguage.chosen(query: nil, cookie: nil) == .vi)
        #expect(ConsoleLanguage.chosen(query: "en", cookie: nil) == .en)
        #expect(ConsoleLanguage.chosen(query: nil, cookie: "en") == .en)
        #expect(ConsoleLanguage.chosen(query: "vi", cookie: "en") == .vi)
        #expect(ConsoleLanguage.chosen(query: "fr", cookie: nil) == .vi)
    }

    @Test func everyStringIsInBothLanguages() {
        for (key, entry) in ConsoleStrings.catalogue {
            #expect(!entry.vi.isEmpty && !entry.en.isEmpty, "\(key)")
        }
        #expect(ConsoleStrings.table(.vi)["signInTitle"] == "Đăng nhập")
        #expect(ConsoleStrings.table(.en)["signInTitle"] == "Sign in")
    }

    @Test func theResourcesShipInTheBundleAndEveryKeyTheTemplatesUseIsCatalogued() throws {
        let directory = try #require(ConsoleResources.directory)
        let resources = try ConsoleResources.bundled.get()
        for name in ["head", "foot", "sign-in", "today"] {
            #expect(resources.library.getTemplate(named: name) != nil, "\(name)")
        }
        #expect(Set(resources.files.keys) == Set(ConsolePaths.staticFiles))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let key = /\{\{[#^\/]?t\.([A-Za-z]+)\}\}/
        var used: Set<String> = []
        for name in names where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            used.formUnion(text.matches(of: key).map { String($0.output.1) })
        }
        #expect(used.count > 20)
        #expect(
            used.subtracting(ConsoleStrings.catalogue.keys).isEmpty,
            "\(used.subtracting(ConsoleStrings.catalogue.keys))"
        )
    }
}

/// The console's pages in-process, on the sample commune (`StationHarness`).
@Suite("The console's pages")
struct ConsolePageTests {
    /// Makes `name` an account of `role` with a password (once) and signs a browser in: its session cookie.
    static func signIn(
        _ station: StationHarness,
        _ name: String = "chu-tich",
        role: OperatorRole = .approver,
        client: some TestClientProtocol
    ) async throws -> String {
        if try station.database.account(named: name) == nil {
            _ = try await station.accounts.addUser(
                UserChange(name: name, role: role, password: "mat-khau-dai-du"),
                by: .system
            )
        }
        let answer = try await client.execute(
            uri: "/api/v1/session",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"user":"\#(name)","password":"mat-khau-dai-du"}"#)
        )
        #expect(answer.status == .created)
        let cookie = try #require(answer.headers[.setCookie])
        return String(try #require(cookie.split(separator: ";").first))
    }

    static func html(_ answer: TestResponse) -> String { String(buffer: answer.body) }

    @Test func withoutASessionPagesSendTheBrowserToSignIn() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            for uri in ["/", "/hom-nay"] {
                let answer = try await client.execute(uri: uri, method: .get)
                #expect(answer.status == .seeOther, "\(uri)")
                #expect(answer.headers[.location] == "/dang-nhap", "\(uri)")
            }
            // A session that no longer exists is the same as none.
            let stale = try await client.execute(
                uri: "/hom-nay",
                method: .get,
                headers: [.cookie: "loa_session=not-a-session"]
            )
            #expect(stale.status == .seeOther)
            // The API still answers 401 JSON.
            #expect(try await client.execute(uri: "/api/v1/receivers", method: .get).status == .unauthorized)
        }
    }

    @Test func theSignInPageIsVietnameseFirstAndEnglishOnAsking() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let vietnamese = try await client.execute(uri: "/dang-nhap", method: .get)
            #expect(vietnamese.status == .ok)
            #expect(vietnamese.headers[.contentType] == "text/html; charset=utf-8")
            let page = Self.html(vietnamese)
            #expect(page.contains(#"<html lang="vi">"#))
            #expect(page.contains(#"<label for="user">Tên đăng nhập</label>"#))
            #expect(page.contains(#"<label for="password">Mật khẩu</label>"#))
            #expect(page.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#))
            #expect(page.contains(#"href="/static/console.css""#))

            let english = try await client.execute(uri: "/dang-nhap?lang=en", method: .get)
            let englishPage = Self.html(english)
            #expect(englishPage.contains(#"<html lang="en">"#))
            #expect(englishPage.contains(#"<label for="password">Password</label>"#))
            #expect(!englishPage.contains("Mật khẩu"))
            #expect(english.headers[.setCookie]?.hasPrefix("lang=en;") == true)

            let kept = try await client.execute(uri: "/dang-nhap", method: .get, headers: [.cookie: "lang=en"])
            #expect(Self.html(kept).contains(#"<html lang="en">"#))

            let style = try await client.execute(uri: "/static/console.css", method: .get)
            #expect(style.status == .ok)
            #expect(style.headers[.contentType] == "text/css; charset=utf-8")
            #expect(String(buffer: style.body).contains("@media (max-width: 600px)"))
            let script = try await client.execute(uri: "/static/console.js", method: .get)
            #expect(String(buffer: script.body).contains("/api/v1/session"))
        }
    }

    @Test func todayShowsTheNextSlotAndTheSilentReceiversInTheSitesTime() async throws {
        let station = try await StationHarness()
        // StationHarness.start is 29/11/2025 10:00 in Hồ Chí Minh City.
        let draft = ScheduleDraft(
            announcement: Announcement(title: "Họp dân thôn Đông", content: .tts(text: "Họp dân", voice: "vi")),
            recurrence: .daily(times: [try LocalTime(parsing: "17:30")]),
            targets: .zones(["thon-dong"])
        )
        let schedule = try await station.book.addSchedule(draft, by: .canBoVanHoa)
        _ = try await station.book.approveSchedule(id: schedule.id, by: .chuTich)
        try await station.application().test(.router) { client in
            let cookie = try await Self.signIn(station, client: client)
            let root = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(root.headers[.location] == "/hom-nay")
            let signIn = try await client.execute(uri: "/dang-nhap", method: .get, headers: [.cookie: cookie])
            #expect(signIn.headers[.location] == "/hom-nay")
            let answer = try await client.execute(uri: "/hom-nay", method: .get, headers: [.cookie: cookie])
            #expect(answer.status == .ok)
            #expect(answer.headers[.cacheControl] == "no-store")
            let page = Self.html(answer)
            #expect(page.contains("Hôm nay <span class=\"date\">29/11/2025</span>"))
            #expect(page.contains("Ngày mai <span class=\"date\">30/11/2025</span>"))
            #expect(
                page.contains(
                    #"<time datetime="2025-11-29T10:30:00Z">17:30</time> <span class="title">Họp dân thôn Đông</span>"#
                )
            )
            #expect(page.contains(#"<time datetime="2025-11-30T10:30:00Z">17:30</time>"#))
            #expect(page.contains("Thôn Đông"))
            // The sample commune's five receivers, none heard from yet: all named as silent.
            #expect(page.contains("<strong>0</strong> trên 5 đang hoạt động"))
            for name in ["Cụm loa đầu thôn Đông", "Cụm loa chợ thôn Tây", "Cụm loa trụ sở UBND xã"] {
                #expect(page.contains(name), "\(name)")
            }
            #expect(page.contains("chưa từng kết nối"))
            #expect(page.contains("Hiện không phát gì."))
            #expect(page.contains("Đang đăng nhập: <strong>chu-tich</strong>"))

            let english = Self.html(
                try await client.execute(uri: "/hom-nay?lang=en", method: .get, headers: [.cookie: cookie])
            )
            #expect(english.contains("Today <span class=\"date\">29/11/2025</span>"))
            #expect(english.contains("never connected"))
        }
    }

    @Test func todayShowsWhatIsOnAir() async throws {
        let station = try await StationHarness()
        let started = StationHarness.start.addingTimeInterval(-60)
        _ = try await station.database.append(
            BroadcastLogEntry(
                scheduleID: nil,
                title: "Bản tin sáng",
                priority: .normal,
                targets: .zones(["thon-tay"]),
                plannedAt: started,
                plannedLocal: "2025-11-29 09:59",
                startedAt: started,
                outcome: .playing
            )
        )
        try await station.application().test(.router) { client in
            let cookie = try await Self.signIn(station, client: client)
            let page = Self.html(try await client.execute(uri: "/hom-nay", method: .get, headers: [.cookie: cookie]))
            #expect(!page.contains("Hiện không phát gì."))
            #expect(
                page.contains(
                    #"<span class="title">Bản tin sáng</span> <span class="meta">Thường · Thôn Tây · bắt đầu lúc <time datetime="2025-11-29T02:59:00Z">09:59</time>"#
                )
            )
        }
    }

    @Test func aTitleIsEscaped() async throws {
        let station = try await StationHarness()
        let draft = ScheduleDraft(
            announcement: Announcement(
                title: "<script>alert(1)</script>",
                content: .tts(text: "Thông báo", voice: "vi")
            ),
            recurrence: .daily(times: [try LocalTime(parsing: "18:00")]),
            targets: .all
        )
        let schedule = try await station.book.addSchedule(draft, by: .canBoVanHoa)
        _ = try await station.book.approveSchedule(id: schedule.id, by: .chuTich)
        try await station.application().test(.router) { client in
            let cookie = try await Self.signIn(station, client: client)
            let page = Self.html(try await client.execute(uri: "/hom-nay", method: .get, headers: [.cookie: cookie]))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.contains("<script>alert"))
        }
    }

    @Test func anApproverGetsTheEmergencyActionAndAnOperatorDoesNot() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let approver = try await Self.signIn(station, client: client)
            let page = Self.html(try await client.execute(uri: "/hom-nay", method: .get, headers: [.cookie: approver]))
            #expect(page.contains(#"<form id="emergency-form""#))
            #expect(page.contains(#"<dialog id="emergency-confirm""#))
            #expect(page.contains(#"<script src="/static/today.js" defer></script>"#))

            let cookie = try await Self.signIn(station, "can-bo-van-hoa", role: .operator, client: client)
            let operatorPage = Self.html(
                try await client.execute(uri: "/hom-nay", method: .get, headers: [.cookie: cookie])
            )
            #expect(operatorPage.contains(#"<div id="live""#))
            #expect(!operatorPage.contains("emergency-form"))
        }
    }

    @Test func aPageErrorIsAPageNotJSON() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let cookie = try await Self.signIn(station, client: client)
            let answer = try await client.execute(
                uri: "/loa/khong-co-loa-nay",
                method: .get,
                headers: [.cookie: cookie]
            )
            #expect(answer.status == .notFound)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            #expect(Self.html(answer).contains("<h1>Có lỗi</h1>"))
            #expect(Self.html(answer).contains("khong-co-loa-nay"))
        }
    }

    @Test func aLiveUpdateIsOneServerSentEventWhateverItsLines() {
        #expect(
            TodayPage<ScheduleBook, ReceiverMonitorService>.event("today", "<p>a</p>\n<p>b</p>")
                == "event: today\ndata: <p>a</p>\ndata: <p>b</p>\n\n"
        )
    }
}
