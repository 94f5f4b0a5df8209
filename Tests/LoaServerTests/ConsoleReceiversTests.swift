import Foundation
import Hummingbird
import HummingbirdTesting
import LoaCore
import LoaStore
import LoaTestSupport
import Testing

@testable import LoaHTTP
@testable import LoaServer

/// The console's "Loa" and "Nhật ký" pages in-process, on the sample commune (`StationHarness`): the
/// receivers by hamlet, their map, one receiver's page, the volume form only for those who may air, and the
/// broadcast log with each receiver's report.
@Suite("The console's receivers and log pages")
struct ConsoleReceiversTests {
    static func page(_ client: some TestClientProtocol, _ uri: String, _ cookie: String) async throws -> String {
        let answer = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
        #expect(answer.status == .ok, "\(uri)")
        return String(buffer: answer.body)
    }

    /// `rx-dong-01` online and reporting (volume 65, -71 dBm), a device the inventory does not know, and
    /// `rx-tay-01` with a signal too weak (-110 dBm): degraded.
    static func hear(_ station: StationHarness) throws {
        let encoder = JSONEncoder()
        for id in ["rx-dong-01", "rx-la-99", "rx-tay-01"] {
            station.monitor.receive(
                BusMessage(
                    topic: station.topics.receiverStatus(id),
                    payload: AvailabilityStatus(state: .online, version: "0.1.0").encoded()
                )
            )
            let rssi = id == "rx-tay-01" ? -110 : -71
            let telemetry = Telemetry(interval: 3600, signal: .init(rssi: rssi, network: "4g"), volume: 65)
            station.monitor.receive(
                BusMessage(topic: station.topics.receiverTelemetry(id), payload: Array(try encoder.encode(telemetry)))
            )
        }
    }

    /// Each marker of the map: its link, state and position.
    static func markers(_ html: String) -> [String: (state: String, x: Double, y: Double)] {
        let marker =
            /<a href="\/loa\/([a-z0-9-]+)" aria-label="[^"]*"><circle class="m m-([a-z]+)" cx="([0-9.]+)" cy="([0-9.]+)" r="12"\/><\/a>/
        var found: [String: (state: String, x: Double, y: Double)] = [:]
        for match in html.matches(of: marker) {
            found[String(match.output.1)] = (String(match.output.2), Double(match.output.3)!, Double(match.output.4)!)
        }
        return found
    }

    @Test func theListNamesEveryReceiverUnderItsHamletWithItsState() async throws {
        let station = try await StationHarness()
        try Self.hear(station)
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "chu-tich", role: .approver, client: client)
            let html = try await Self.page(client, "/loa", cookie)
            #expect(html.contains(#"<script src="/static/receivers.js" defer></script>"#))
            let inventory = await station.book.inventory()
            for zone in inventory.zones {
                let heading = try #require(html.range(of: "<h2 id=\"zone-\(zone.id)\">\(zone.name) "), "\(zone.id)")
                let rest = html[heading.lowerBound...]
                let body = rest[..<(try #require(rest.range(of: "</section>"))).lowerBound]
                for receiver in inventory.receivers {
                    let link = "<a class=\"title\" href=\"/loa/\(receiver.id)\">\(receiver.name)</a>"
                    #expect(body.contains(link) == (receiver.zone == zone.id), "\(receiver.id) under \(zone.id)")
                }
            }
            #expect(html.contains(#"<span class="rx-state s-online">đang hoạt động</span>"#))
            #expect(html.contains(#"<span class="rx-state s-unknown">chưa từng kết nối</span>"#))
            #expect(html.contains("Lần cuối liên lạc: 29/11/2025 10:00 · Sóng -71 dBm · Âm lượng 65"))
            #expect(html.contains("Lần cuối liên lạc: chưa bao giờ"))
            #expect(html.contains("<strong>2</strong> trên 5 đang hoạt động"))
            #expect(
                html.contains(
                    #"<span class="rx-state s-degraded">có sự cố</span> <span class="rx-reasons">sóng yếu</span>"#
                )
            )
            // The map's markers are links: a keyboard skips them to reach the list.
            #expect(html.contains(##"<a class="rx-skip" href="#rx-zones">Bỏ qua bản đồ, đến danh sách cụm loa</a>"##))
            // An approver sets volumes, hamlet by hamlet, with the session's CSRF token; Thôn Đông's reported
            // volume fills its form.
            #expect(html.contains(#"<form class="rx-volume" novalidate data-zone="thon-dong" data-csrf=""#))
            #expect(html.contains(#"<label for="volume-thon-dong">Âm lượng – Thôn Đông (0–100)</label>"#))
            #expect(html.contains(#"min="0" max="100" step="1" required value="65">"#))
            // Unknown devices are a technician's business.
            #expect(!html.contains("rx-la-99"))
            #expect(!html.contains("Thiết bị lạ"))
        }
    }

    @Test func theMapHasOneMarkerPerReceiverWestLeftNorthUp() async throws {
        let station = try await StationHarness()
        try Self.hear(station)
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "chu-tich", role: .approver, client: client)
            let html = try await Self.page(client, "/loa", cookie)
            let markers = Self.markers(html)
            let inventory = await station.book.inventory()
            #expect(Set(markers.keys) == Set(inventory.receivers.map(\.id)))
            #expect(
                html.matches(of: /<circle class="m m-/).count == inventory.receivers.count
                    + ReceiverState.allCases.count
            )
            #expect(markers["rx-dong-01"]?.state == "online")
            #expect(markers["rx-tay-01"]?.state == "degraded")
            #expect(markers["rx-bai-01"]?.state == "unknown")
            #expect(html.contains(#"aria-label="Cụm loa bến đò Xóm Bãi: chưa từng kết nối""#))
            let viewBox = try #require(html.firstMatch(of: /viewBox="0 0 ([0-9.]+) ([0-9.]+)"/))
            let width = Double(viewBox.output.1)!
            let height = Double(viewBox.output.2)!
            for receiver in inventory.receivers {
                let mine = try #require(markers[receiver.id])
                #expect((0...width).contains(mine.x) && (0...height).contains(mine.y), "\(receiver.id) inside")
                for other in inventory.receivers where other.id != receiver.id {
                    let theirs = try #require(markers[other.id])
                    // West is left, north is up: the order of the coordinates is the order on the map.
                    #expect(
                        (receiver.longitude! < other.longitude!) == (mine.x < theirs.x),
                        "\(receiver.id) \(other.id)"
                    )
                    #expect((receiver.latitude! > other.latitude!) == (mine.y < theirs.y), "\(receiver.id) \(other.id)")
                }
            }
            // Distances keep their proportions (equirectangular, longitude scaled by the latitude's cosine).
            let west = try #require(markers["rx-tay-01"])
            let east = try #require(markers["rx-bai-01"])
            let south = try #require(markers["rx-bai-01"])
            let north = try #require(markers["rx-dong-02"])
            let ratio = (east.x - west.x) / (south.y - north.y)
            let expected = (106.6402 - 106.6218) * cos(10.82045 * .pi / 180) / (10.8262 - 10.8147)
            #expect(abs(ratio - expected) < 0.02)
        }
    }

    @Test func aLoneReceiverOrNoneStillDrawsAMap() {
        let lone = ReceiverMap(points: [(id: "rx-1", latitude: 10.8, longitude: 106.6)])
        #expect(lone.markers.count == 1)
        #expect(lone.markers[0].x == ReceiverMap.width / 2 && lone.markers[0].y == lone.height / 2)
        let none = ReceiverMap(points: [])
        #expect(none.markers.isEmpty && none.height == ReceiverMap.minimumHeight)
        // A thousand receivers spread over the commune all land inside the drawing.
        let spread: [(id: String, latitude: Double, longitude: Double)] = (0..<1_000).map { index in
            let north = Double(index % 37) * 0.001
            let east = Double(index % 41) * 0.001
            return (id: "rx-\(index)", latitude: 10.80 + north, longitude: 106.60 + east)
        }
        let many = ReceiverMap(points: spread)
        #expect(many.markers.count == 1_000)
        let across = (ReceiverMap.margin - 0.1)...(many.width - ReceiverMap.margin + 0.1)
        #expect(many.markers.allSatisfy { across.contains($0.x) && (0...many.height).contains($0.y) })
    }

    @Test func aThousandReceiversAreEachListedAndPlaced() async throws {
        let station = try await StationHarness()
        let zones = ["thon-dong", "thon-tay", "xom-bai", "trung-tam"]
        var yaml = "receivers:\n"
        for index in 0..<1_000 {
            yaml += """
                  - id: rx-\(index)
                    name: "Cụm loa số \(index)"
                    zone: \(zones[index % zones.count])
                    lat: \(10.80 + Double(index % 37) * 0.001)
                    lon: \(106.60 + Double(index % 41) * 0.001)

                """
        }
        try station.write(yaml, to: "receivers.yaml")
        #expect(await station.reload.reload())
        #expect(await station.book.inventory().receivers.count == 1_000)
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "chu-tich", role: .approver, client: client)
            let html = try await Self.page(client, "/loa", cookie)
            #expect(Self.markers(html).count == 1_000)
            #expect(html.matches(of: /<a class="title" href="\/loa\/rx-\d+">/).count == 1_000)
            #expect(html.matches(of: /<form class="rx-volume"/).count == zones.count)
        }
    }

    @Test func aViewerSeesNoVolumeFormAndATechnicianSeesTheStrangers() async throws {
        let station = try await StationHarness()
        try Self.hear(station)
        try await station.application().test(.router) { client in
            let viewer = try await ConsolePageTests.signIn(station, "thanh-tra", role: .viewer, client: client)
            let html = try await Self.page(client, "/loa", viewer)
            #expect(html.contains("Cụm loa đầu thôn Đông"))
            #expect(!html.contains("rx-volume\""))
            #expect(!html.contains("Đặt âm lượng"))
            #expect(!html.contains("rx-la-99"))

            let technician = try await ConsolePageTests.signIn(station, "ky-thuat", role: .technician, client: client)
            let maintained = try await Self.page(client, "/loa", technician)
            #expect(maintained.contains(#"<h2 id="rx-strangers">Thiết bị lạ</h2>"#))
            #expect(maintained.contains(#"<a class="title" href="/loa/rx-la-99">rx-la-99</a>"#))
            #expect(!maintained.contains("Đặt âm lượng"))
        }
    }

    @Test func aReceiversPageShowsItsFiguresAndAnUnknownOneIsA404Page() async throws {
        let station = try await StationHarness()
        try Self.hear(station)
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "thanh-tra", role: .viewer, client: client)
            let html = try await Self.page(client, "/loa/rx-dong-01", cookie)
            #expect(html.contains("<title>Cụm loa đầu thôn Đông – "))
            #expect(
                html.contains(#"<h1>Cụm loa đầu thôn Đông <span class="rx-state s-online">đang hoạt động</span></h1>"#)
            )
            #expect(html.contains("<dt>Thôn</dt><dd>Thôn Đông</dd>"))
            #expect(html.contains("<dt>Âm lượng</dt><dd>65</dd>"))
            #expect(html.contains("<dt>Sóng</dt><dd>-71 dBm 4g</dd>"))
            #expect(html.contains("<dt>Lần cuối liên lạc</dt><dd>29/11/2025 10:00</dd>"))
            #expect(html.contains("<dt>Tọa độ</dt><dd>10.82310, 106.62970</dd>"))
            #expect(html.contains("Tỷ lệ hoạt động"))
            #expect(html.contains("<dt>24 giờ qua</dt>"))

            let missing = try await client.execute(uri: "/loa/rx-khong-co", method: .get, headers: [.cookie: cookie])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(buffer: missing.body)
            #expect(page.contains("<h1>Có lỗi</h1>"))
            #expect(page.contains("rx-khong-co"))

            let english = try await Self.page(client, "/loa/rx-dong-01?lang=en", cookie)
            #expect(english.contains("<dt>Hamlet</dt><dd>Thôn Đông</dd>"))
        }
    }

    @Test func wordingOfTheMonitorsCausesAndFigures() {
        #expect(ReceiverWording.cause("birth", .vi) == "kết nối")
        #expect(ReceiverWording.cause("no telemetry for 90 s", .vi) == "không nhận được số liệu trong 90 giây")
        #expect(ReceiverWording.cause("weak-signal, underruns", .vi) == "sóng yếu, ngắt tiếng")
        #expect(ReceiverWording.cause("session.started", .vi) == "bắt đầu phát")
        #expect(ReceiverWording.cause("something new", .vi) == nil)
        #expect(ReceiverWording.percent(0.995, .vi) == "99,5%")
        #expect(ReceiverWording.percent(0.995, .en) == "99.5%")
        #expect(ReceiverWording.percent(nil, .vi) == "–")
        #expect(ReceiverWording.duration(seconds: 3 * 86_400 + 4 * 3_600 + 60, .vi) == "3 ngày 4 giờ")
        #expect(ReceiverWording.duration(seconds: 2 * 3_600 + 5 * 60, .vi) == "2 giờ 5 phút")
        // The log's notes: the verdict's count is left to the receivers' rows; the scheduler's are worded.
        #expect(ReceiverWording.broadcastNote("played on 1 of 2; rx-dong-02 never reached", .vi) == nil)
        #expect(ReceiverWording.broadcastNote("interrupted by 'Khẩn cấp'", .vi)?.text == "Bị ngắt bởi “Khẩn cấp”")
        #expect(
            ReceiverWording.broadcastNote("could not start within its lateness limit of 600 s", .vi)?.text
                == "Không bắt đầu được trong thời hạn trễ cho phép: 600 giây"
        )
        let unknown = ReceiverWording.broadcastNote("a new note", .vi)
        #expect(unknown?.text == "a new note" && unknown?.worded == false)
    }

    @Test func theLogShowsEachBroadcastWithItsReceiversReportsAndEscapesTitles() async throws {
        let station = try await StationHarness()
        let started = StationHarness.start.addingTimeInterval(-600)
        let id = try await station.database.append(
            BroadcastLogEntry(
                scheduleID: nil,
                title: "<script>alert(1)</script> Họp dân",
                priority: .priority,
                targets: .zones(["thon-dong"]),
                plannedAt: started,
                plannedLocal: "now",
                startedAt: started,
                endedAt: started.addingTimeInterval(30),
                outcome: .partial
            )
        )
        try await station.database.recordReceiverReports([
            ReceiverReportUpdate(
                broadcast: id,
                report: BroadcastReceiverReport(
                    receiver: "rx-dong-01",
                    state: .played,
                    at: started.addingTimeInterval(30),
                    ackedAt: started.addingTimeInterval(1)
                )
            ),
            ReceiverReportUpdate(
                broadcast: id,
                report: BroadcastReceiverReport(receiver: "rx-dong-02", state: .neverReached, at: started)
            ),
        ])
        _ = try await station.database.append(
            BroadcastLogEntry(
                scheduleID: nil,
                title: "Bản tin thôn Tây",
                priority: .normal,
                targets: .zones(["thon-tay"]),
                plannedAt: started.addingTimeInterval(60),
                plannedLocal: "now",
                outcome: .missed
            )
        )
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "thanh-tra", role: .viewer, client: client)
            let html = try await Self.page(client, "/nhat-ky", cookie)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Họp dân"))
            #expect(!html.contains("<script>alert"))
            #expect(html.contains(#"<span class="log-outcome o-partial">phát chưa đủ loa</span>"#))
            #expect(html.contains(#"<time datetime="2025-11-29T02:50:00Z">29/11/2025 09:50</time>"#))
            #expect(html.contains("<dt>Kết thúc</dt><dd>29/11/2025 09:50</dd>"))
            #expect(html.contains("<dt>Nơi phát</dt><dd>Thôn Đông</dd>"))
            #expect(html.contains("<dt>Mức ưu tiên</dt><dd>Ưu tiên</dd>"))
            #expect(html.contains("phát ngay, ngoài lịch"))
            #expect(html.contains("<summary>Cụm loa: 1/2 nhận lệnh, 1/2 phát trọn</summary>"))
            #expect(
                html.contains(
                    #"<a class="title" href="/loa/rx-dong-01">Cụm loa đầu thôn Đông</a> <span class="log-report r-played">đã phát xong</span>"#
                )
            )
            #expect(html.contains("Nhận lệnh: 29/11/2025 09:50 · Báo lúc: 29/11/2025 09:50"))
            #expect(html.contains(#"<span class="log-report r-never-reached">không nhận được lệnh</span>"#))
            #expect(html.contains("Nhận lệnh: không"))
            // Newest first.
            let newer = try #require(html.range(of: "Bản tin thôn Tây"))
            let older = try #require(html.range(of: "Họp dân"))
            #expect(newer.lowerBound < older.lowerBound)

            // One hamlet's broadcasts only.
            let west = try await Self.page(client, "/nhat-ky?thon=thon-tay", cookie)
            #expect(west.contains("Bản tin thôn Tây"))
            #expect(!west.contains("Họp dân"))
            #expect(west.contains(#"<option value="thon-tay" selected>Thôn Tây</option>"#))
            let unknown = try await client.execute(
                uri: "/nhat-ky?thon=khong-co",
                method: .get,
                headers: [.cookie: cookie]
            )
            #expect(unknown.status == .notFound)

            // One local day's: 29/11 in Hồ Chí Minh City has both; the day before has none.
            let day = try await Self.page(client, "/nhat-ky?ngay=29/11/2025", cookie)
            #expect(day.contains(#"value="29/11/2025""#), "the field shows the day as it is typed")
            #expect(day.contains("Bản tin thôn Tây") && day.contains("Họp dân"))
            #expect(day.contains(#"<span class="date">29/11/2025</span></h1>"#))
            let before = try await Self.page(client, "/nhat-ky?ngay=2025-11-28", cookie)
            #expect(!before.contains("Bản tin thôn Tây") && !before.contains("Họp dân"))
            #expect(before.contains("Không có buổi phát nào khớp với lựa chọn này."))
            let westDay = try await Self.page(client, "/nhat-ky?ngay=29%2F11%2F2025&thon=thon-tay", cookie)
            #expect(westDay.contains("Bản tin thôn Tây") && !westDay.contains("Họp dân"))
            let wrong = try await client.execute(uri: "/nhat-ky?ngay=29-11", method: .get, headers: [.cookie: cookie])
            #expect(wrong.status == .badRequest)
        }
    }

    @Test func theLogPagesWithTheAPIsCursor() async throws {
        let station = try await StationHarness()
        // One more than a page (LogPage.pageSize, 20).
        for index in 0..<21 {
            _ = try await station.database.append(
                BroadcastLogEntry(
                    scheduleID: nil,
                    title: "Bản tin số \(index)",
                    priority: .normal,
                    targets: .all,
                    plannedAt: StationHarness.start.addingTimeInterval(Double(-3_600 + index * 60)),
                    plannedLocal: "now",
                    outcome: .completed
                )
            )
        }
        try await station.application().test(.router) { client in
            let cookie = try await ConsolePageTests.signIn(station, "thanh-tra", role: .viewer, client: client)
            let first = try await Self.page(client, "/nhat-ky", cookie)
            #expect(first.contains("Bản tin số 20<"))
            #expect(!first.contains("Bản tin số 0<"))
            let older = try #require(first.firstMatch(of: /<a href="(\/nhat-ky\?sau=[^"]+)">Cũ hơn →<\/a>/))
            let second = try await Self.page(
                client,
                String(older.output.1).replacingOccurrences(of: "&amp;", with: "&"),
                cookie
            )
            #expect(second.contains("Bản tin số 0<"))
            #expect(!second.contains("Bản tin số 20<"))
            #expect(!second.contains("Cũ hơn →"))
            #expect(second.contains("Mới nhất"))
        }
    }
}
