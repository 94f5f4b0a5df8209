import Foundation
import Hummingbird
import HummingbirdTesting
import LoaAudio
import LoaCore
import LoaTestSupport
import Synchronization
import Testing

@testable import LoaHTTP
@testable import LoaServer

/// "Lịch phát" (issue 16) in-process, on the sample commune: the week in the site's time, what each role is
/// offered, escaping, and the speech preview read by the real renderer (espeak-ng and the chimes).
@Suite("The console's Schedule page")
struct ConsoleScheduleTests {
    static func page(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> String {
        let answer = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
        #expect(answer.status == .ok, "\(uri)")
        return String(buffer: answer.body)
    }

    /// The week's seven days in the page, Monday first: each day's `<li>`'s HTML.
    static func days(_ html: String) -> [Substring] {
        Array(html.split(separator: #"<li class="day"#).dropFirst().prefix(7))
    }

    static func dailyDraft(_ title: String, at times: [String], zones: [String]) throws -> ScheduleDraft {
        ScheduleDraft(
            announcement: Announcement(title: title, content: .tts(text: "Bản tin của xã", voice: "vi")),
            recurrence: .daily(times: try times.map { try LocalTime(parsing: $0) }),
            targets: .zones(zones)
        )
    }

    @Test func theWeekShowsAnApprovedDailySlotOnEveryDayInTheSitesTime() async throws {
        let station = try await StationHarness()
        // StationHarness.start is Saturday 29/11/2025 10:00 in Hồ Chí Minh City (UTC+7).
        let schedule = try await station.book.addSchedule(
            try Self.dailyDraft("Bản tin sáng chiều", at: ["05:00", "17:00"], zones: ["thon-dong", "thon-tay"]),
            by: .canBoVanHoa
        )
        _ = try await station.book.approveSchedule(id: schedule.id, by: .chuTich)
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "chu-tich", role: .approver, client: client)
            // Next week, Monday 01/12 to Sunday 07/12: 05:00 there is 22:00 UTC the day before.
            let html = try await Self.page(client, "/lich-phat?tuan=2025-12-03", cookie: cookie)
            #expect(html.contains("01/12 – 07/12/2025"))
            let days = Self.days(html)
            #expect(days.count == 7)
            let names = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
            for (offset, day) in days.enumerated() {
                let date = 1 + offset
                let morning = String(format: "2025-%02d-%02dT22:00:00Z", date == 1 ? 11 : 12, date == 1 ? 30 : date - 1)
                let evening = String(format: "2025-12-%02dT10:00:00Z", date)
                #expect(day.contains("\(names[offset]) <span class=\"date\">\(String(format: "%02d", date))/12</span>"))
                #expect(
                    day.contains(
                        #"<time datetime="\#(morning)">05:00</time> <span class="title">Bản tin sáng chiều</span>"#
                    ),
                    "\(date)"
                )
                #expect(
                    day.contains(
                        #"<time datetime="\#(evening)">17:00</time> <span class="title">Bản tin sáng chiều</span>"#
                    ),
                    "\(date)"
                )
                #expect(day.contains("Thôn Đông, Thôn Tây"))
                #expect(!day.contains("<strong>chờ duyệt</strong>"))
            }
            #expect(html.contains(#"href="/lich-phat?tuan=2025-11-24""#))
            #expect(html.contains(#"href="/lich-phat?tuan=2025-12-08""#))
            #expect(html.contains("Hằng ngày lúc 05:00, 17:00"))

            // This week (the default) starts on Monday 24/11: Saturday is today; 05:00 that day had passed but
            // the week shows every slot of the week.
            let thisWeek = try await Self.page(client, "/lich-phat", cookie: cookie)
            #expect(thisWeek.contains("24/11 – 30/11/2025"))
            let saturday = Self.days(thisWeek)[5]
            #expect(saturday.hasPrefix(" today"))
            #expect(saturday.contains(">17:00</time>"))

            let english = try await Self.page(client, "/lich-phat?tuan=2025-12-03&lang=en", cookie: cookie)
            #expect(english.contains("Daily at 05:00, 17:00"))
            #expect(english.contains("Monday <span class=\"date\">01/12</span>"))

            let refused = try await client.execute(
                uri: "/lich-phat?tuan=tuesday",
                method: .get,
                headers: [.cookie: cookie]
            )
            #expect(refused.status == .badRequest)
        }
    }

    @Test func everyRecurrenceIsWordedAsTheCommuneSaysIt() throws {
        func worded(_ recurrence: Recurrence, from: String? = nil, until: String? = nil) throws -> String {
            var schedule = Schedule(
                id: "sch-1",
                announcement: Announcement(title: "Tin", content: .tts(text: "Tin", voice: "vi")),
                recurrence: recurrence
            )
            schedule.validFrom = try from.map { try LocalDate(parsing: $0) }
            schedule.validUntil = try until.map { try LocalDate(parsing: $0) }
            return ScheduleWording.recurrence(schedule, language: .vi)
        }
        let five = try LocalTime(parsing: "05:00")
        let evening = try LocalTime(parsing: "17:00")
        #expect(try worded(.daily(times: [five, evening])) == "Hằng ngày lúc 05:00, 17:00")
        #expect(
            try worded(.weekly(days: [.monday, .sunday], times: [five]), from: "2026-01-05", until: "2026-02-16")
                == "Hằng tuần (T2, CN) lúc 05:00, từ 05/01/2026, đến 16/02/2026"
        )
        #expect(
            try worded(
                .everyNWeeks(interval: 2, anchor: LocalDate(parsing: "2026-01-02"), days: [.friday], times: [evening])
            )
                == "Cứ 2 tuần một lần (T6) lúc 17:00"
        )
        #expect(try worded(.monthly(day: 15, times: [five])) == "Ngày 15 hằng tháng lúc 05:00")
        #expect(try worded(.once(LocalDateTime(parsing: "2026-12-24 19:30"))) == "Một lần, ngày 24/12/2026 lúc 19:30")
    }

    @Test func aDraftWaitsInTheQueueAndOnlyApproversAreOfferedToApproveIt() async throws {
        let station = try await StationHarness()
        let draft = try await station.book.addSchedule(
            try Self.dailyDraft("Tiêm phòng cho gia súc", at: ["06:30"], zones: ["xom-bai"]),
            by: .canBoVanHoa
        )
        try await station.application().test(.router) { client in
            let operatorCookie = try await ConsolePageTests.signIn(
                station,
                "can-bo-van-hoa",
                role: .operator,
                client: client
            )
            let operatorPage = try await Self.page(client, "/lich-phat?tuan=2025-12-01", cookie: operatorCookie)
            #expect(operatorPage.contains(#"<li data-id="\#(draft.id)""#))
            #expect(operatorPage.contains("Tiêm phòng cho gia súc"))
            #expect(operatorPage.contains("chờ duyệt"))
            #expect(!operatorPage.contains(#"class="approve""#))
            #expect(operatorPage.contains(#"class="edit secondary" data-id="\#(draft.id)""#))
            #expect(operatorPage.contains(#"class="cancel secondary" data-id="\#(draft.id)""#))
            #expect(operatorPage.contains(#"<form id="schedule-form""#))
            #expect(!operatorPage.contains(#"<option value="emergency">"#))
            // The draft's data for "Sửa", escaped into its attribute.
            #expect(operatorPage.contains("data-json=\"{&quot;"))

            let approverCookie = try await ConsolePageTests.signIn(station, "chu-tich", role: .approver, client: client)
            let approverPage = try await Self.page(client, "/lich-phat", cookie: approverCookie)
            #expect(
                approverPage.contains(#"<button type="button" class="approve" data-id="\#(draft.id)">Duyệt</button>"#)
            )

            let viewerCookie = try await ConsolePageTests.signIn(station, "thanh-tra", role: .viewer, client: client)
            let viewerPage = try await Self.page(client, "/lich-phat", cookie: viewerCookie)
            #expect(viewerPage.contains("Tiêm phòng cho gia súc"))
            for control in [#"class="approve""#, #"class="edit"#, #"class="cancel"#, #"<form id="schedule-form""#] {
                #expect(!viewerPage.contains(control), "\(control)")
            }
        }
    }

    @Test func aTitleHoldingAScriptIsShownAsText() async throws {
        let station = try await StationHarness()
        _ = try await station.book.addSchedule(
            try Self.dailyDraft("<script>alert(1)</script>", at: ["19:00"], zones: ["trung-tam"]),
            by: .canBoVanHoa
        )
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "can-bo-van-hoa", role: .operator, client: client)
            let html = try await Self.page(client, "/lich-phat", cookie: cookie)
            #expect(html.contains(#"<span class="title">&lt;script&gt;alert(1)&lt;/script&gt;</span>"#))
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("\"<script>"))
        }
    }

    // MARK: - The speech preview

    /// The station's API with the preview read by the daemon's own renderer.
    static func previewApplication(
        _ station: StationHarness,
        speech: any SpeechPreviewing
    ) throws -> some ApplicationProtocol {
        Application(
            router: APIRouter.build(
                access: station.access,
                health: station.health,
                schedules: station.book,
                assets: try station.makeAssets(),
                receivers: station.monitor,
                metrics: station.monitor.metricsSource(
                    health: station.health,
                    database: station.database,
                    journal: nil
                ),
                speech: speech,
                now: { [clock = station.clock] in clock.now() }
            )
        )
    }

    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func thePreviewIsRefusedToAViewerAndReadAsAWAVForAnOperator() async throws {
        let station = try await StationHarness()
        let renderer = AnnouncementRenderer(
            library: try AssetLibrary(directory: "\(station.state)/preview-assets"),
            chimes: try Chimes.framing()
        )
        let application = try Self.previewApplication(station, speech: SpeechPreviewService(renderer: renderer))
        try await application.test(.router) { client in
            var viewer = try await station.credentials("thanh-tra")
            viewer[.contentType] = "application/json"
            let refused = try await client.execute(
                uri: "/api/v1/speech/preview",
                method: .post,
                headers: viewer,
                body: Self.json(#"{"text":"Xin chào bà con"}"#)
            )
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("may not create drafts"))

            var operatorHeaders = try await station.credentials("can-bo-van-hoa")
            operatorHeaders[.contentType] = "application/json"
            let empty = try await client.execute(
                uri: "/api/v1/speech/preview",
                method: .post,
                headers: operatorHeaders,
                body: Self.json(#"{"text":"  … "}"#)
            )
            #expect(empty.status == .badRequest)
            #expect(String(buffer: empty.body).contains("the text is empty"))
            let long = String(repeating: "Bà con chú ý. ", count: SpeechPreviewRequest.maximumCharacters / 10)
            let tooLong = try await client.execute(
                uri: "/api/v1/speech/preview",
                method: .post,
                headers: operatorHeaders,
                body: Self.json(#"{"text":"\#(long)"}"#)
            )
            #expect(tooLong.status == .contentTooLarge)
            let wrongVoice = try await client.execute(
                uri: "/api/v1/speech/preview",
                method: .post,
                headers: operatorHeaders,
                body: Self.json(#"{"text":"Xin chào","voice":"en-us"}"#)
            )
            #expect(wrongVoice.status == .badRequest)

            let answer = try await client.execute(
                uri: "/api/v1/speech/preview",
                method: .post,
                headers: operatorHeaders,
                body: Self.json(#"{"text":"Thông báo lịch tiêm phòng cho gia súc tại thôn Đông.","voice":"vi"}"#)
            )
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "audio/wav")
            let bytes = [UInt8](buffer: answer.body)
            #expect(bytes.count > 44 + 48_000 * 2)  // more than a second of 48 kHz 16-bit audio
            #expect(Array(bytes[0..<4]) == Array("RIFF".utf8))
            #expect(Array(bytes[8..<16]) == Array("WAVEfmt ".utf8))
            let rate = Int(bytes[24]) | Int(bytes[25]) << 8 | Int(bytes[26]) << 16 | Int(bytes[27]) << 24
            #expect(rate == AudioClip.streamSampleRate)
            var peak = 0
            var index = 44
            while index + 1 < bytes.count {
                peak = max(peak, abs(Int(Int16(bitPattern: UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8))))
                index += 2
            }
            #expect(peak > 3_000, "the preview is (nearly) silent: peak \(peak)")
        }
    }

    /// A renderer that holds its first render until told, to show a second preview meanwhile is refused.
    final class HeldRenderer: AnnouncementRendering {
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()

        func render(_ announcement: Announcement) async throws -> AudioClip {
            started.continuation.yield()
            for await _ in release.stream { break }
            return AudioClip(samples: [0.5, -0.5])
        }
    }

    @Test func aSecondPreviewWhileOneRendersIsRefusedAtOnce() async throws {
        let renderer = HeldRenderer()
        let service = SpeechPreviewService(renderer: renderer)
        let request = SpeechPreviewRequest(text: "Xin chào bà con")
        let first = Task { try await service.preview(request, by: .canBoVanHoa) }
        for await _ in renderer.started.stream { break }
        let second = await operationError { try await service.preview(request, by: .canBoVanHoa) }
        #expect(second?.kind == .throttled)
        #expect(second?.retryAfter != nil)
        renderer.release.continuation.yield()
        let wav = try await first.value
        #expect(wav.count == 44 + 4)
        // Free again once the first has finished.
        renderer.release.continuation.yield()
        #expect(try await service.preview(request, by: .canBoVanHoa).count == 48)
        #expect(await operationError { try await service.preview(request, by: .thanhTra) }?.kind == .forbidden)
    }
}
