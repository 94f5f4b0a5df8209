import Foundation
import Hummingbird
import HummingbirdTesting
import LoaCore
import LoaHTTP
import LoaTestSupport
import Testing

@testable import LoaServer

/// The HTTP API in-process (HummingbirdTesting, no sockets), on the real schedule book and monitor: status
/// codes, JSON errors, roles, and what reaches the bus.
@Suite("The HTTP API in-process")
struct APIInProcessTests {
    static let approver = "chu-tich"
    static let operatorUser = "can-bo-van-hoa"

    static func json(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(data: try APICoding.encoder().encode(value))
    }

    static func draft(title: String) throws -> ScheduleDraft {
        ScheduleDraft(
            announcement: Announcement(title: title, content: .tts(text: "Họp dân lúc 17 giờ", voice: "vi")),
            recurrence: .daily(times: [try LocalTime(parsing: "05:00")]),
            targets: .zones(["thon-dong"])
        )
    }

    @Test func anOperatorDraftsAndOnlyAnApproverApproves() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                headers: try await station.credentials(Self.operatorUser),
                body: try Self.json(try Self.draft(title: "Bản tin sáng"))
            )
            #expect(created.status == .created)
            let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(buffer: created.body))
            #expect(schedule.approval == .draft && schedule.announcement.title == "Bản tin sáng")

            let refused = try await client.execute(
                uri: "/api/v1/schedules/\(schedule.id)/approve",
                method: .post,
                headers: try await station.credentials(Self.operatorUser)
            )
            #expect(refused.status == .forbidden)
            let error = try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: refused.body))
            #expect(error.error.contains(Self.operatorUser))

            let approved = try await client.execute(
                uri: "/api/v1/schedules/\(schedule.id)/approve",
                method: .post,
                headers: try await station.credentials(Self.approver)
            )
            #expect(approved.status == .ok)
            let listed = try await client.execute(
                uri: "/api/v1/schedules",
                method: .get,
                headers: try await station.credentials("thanh-tra")
            )
            let schedules = try APICoding.decoder().decode([Schedule].self, from: Data(buffer: listed.body))
            #expect(schedules.map(\.approval) == [.approved])
        }
    }

    @Test func badInputIsAJSONErrorThatNamesTheProblemAndStoresNothing() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let malformed = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                headers: try await station.credentials(Self.approver),
                body: ByteBuffer(string: "{\"announcement\": ")
            )
            #expect(malformed.status == .badRequest)
            #expect(
                try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: malformed.body)).error.isEmpty == false
            )

            // 513 nested brackets that end the body trap Foundation's JSONDecoder; the API refuses them first.
            let tooDeep = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                headers: try await station.credentials(Self.approver),
                body: ByteBuffer(string: String(repeating: "[", count: 513))
            )
            #expect(tooDeep.status == .badRequest)
            #expect(String(buffer: tooDeep.body).contains("nested deeper"))

            let anonymous = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                body: try Self.json(try Self.draft(title: "Không tên"))
            )
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.contains("Bearer") == true)
            let impostor = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                headers: [.init("X-Loa-User")!: Self.approver],
                body: try Self.json(try Self.draft(title: "Mạo danh"))
            )
            #expect(impostor.status == .unauthorized, "X-Loa-User alone grants nothing")

            let unknownZone = try await client.execute(
                uri: "/api/v1/volume",
                method: .post,
                headers: try await station.credentials(Self.approver),
                body: try Self.json(VolumeRequest(targets: .zones(["thon-xa"]), level: 40))
            )
            #expect(unknownZone.status == .badRequest)
            #expect(String(buffer: unknownZone.body).contains("thon-xa"))
            #expect(try await station.book.schedules().isEmpty)
            #expect(station.bus.published.isEmpty)
        }
    }

    @Test func aVolumeChangeIsOneSignedCommandPerZoneAndOperatorsMayNot() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let refused = try await client.execute(
                uri: "/api/v1/volume",
                method: .post,
                headers: try await station.credentials(Self.operatorUser),
                body: try Self.json(VolumeRequest(targets: .zones(["thon-dong", "thon-tay"]), level: 40))
            )
            #expect(refused.status == .forbidden)
            #expect(station.bus.published.isEmpty)

            let done = try await client.execute(
                uri: "/api/v1/volume",
                method: .post,
                headers: try await station.credentials(Self.approver),
                body: try Self.json(VolumeRequest(targets: .zones(["thon-dong", "thon-tay"]), level: 40))
            )
            #expect(done.status == .noContent)
            #expect(
                station.bus.published.map(\.topic) == [
                    station.topics.commands(.zone("thon-dong")), station.topics.commands(.zone("thon-tay")),
                ]
            )
            #expect(station.bus.published.allSatisfy { $0.delivery == .atLeastOnce })
        }
    }

    @Test func healthAndMetricsAnswerAHealthTokenInFullAndStrangersWithoutDetail() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let monitoring = try await station.credentials("nagios", scope: .health)
            let health = try await client.execute(uri: "/healthz", method: .get, headers: monitoring)
            let report = try APICoding.decoder().decode(HealthReport.self, from: Data(buffer: health.body))
            #expect(report.site == "xa-an-phu")
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: monitoring)
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains("loa_playout_journal_write_failures_total 0"))

            // The same token reads nothing else, and changes nothing.
            let schedules = try await client.execute(uri: "/api/v1/schedules", method: .get, headers: monitoring)
            #expect(schedules.status == .forbidden)
            let stop = try await client.execute(uri: "/api/v1/stop", method: .post, headers: monitoring)
            #expect(stop.status == .forbidden)

            // Without credentials: the status alone, and no metrics.
            let open = try await client.execute(uri: "/healthz", method: .get)
            #expect(open.status == health.status)
            #expect(
                String(buffer: open.body).contains("\"status\"") && !String(buffer: open.body).contains("xa-an-phu")
            )
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
        }
    }

    @Test func everyRouteButTheOpenOnesAnswers401WithoutCredentials() async throws {
        let station = try await StationHarness()
        let router = APIRouter.build(
            access: station.access,
            health: station.health,
            schedules: station.book,
            assets: try station.makeAssets(),
            receivers: station.monitor,
            metrics: station.monitor.metricsSource(health: station.health, database: station.database, journal: nil),
            brokerAuthorityFile: nil
        )
        let routes = router.routes.map { ($0.method, $0.path.description) }
        #expect(routes.count > 25)
        // The API's way in, and the web console's sign-in page with its files (issue 16); the console's other
        // pages send a browser to sign in (303) rather than answer 401.
        let open = [
            "GET /healthz", "POST /api/v1/login", "POST /api/v1/session",
            "GET /", "GET /dang-nhap", "GET /static/console.css", "GET /static/console.js", "GET /static/today.js",
            "GET /static/schedule.js", "GET /static/receivers.js", "GET /static/reports.js",
        ]
        // Every page of the console's five sections, and what hangs under them (`/loa/ID`, `/bao-cao.csv`).
        let sections = ["/hom-nay", "/lich-phat", "/loa", "/nhat-ky", "/bao-cao"]
        let isPage: @Sendable (HTTPRequest.Method, String) -> Bool = { method, uri in
            method == .get && sections.contains { uri == $0 || uri.hasPrefix($0 + "/") || uri.hasPrefix($0 + ".") }
        }
        try await Application(router: router).test(.router) { client in
            for (method, path) in routes {
                let uri =
                    "/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "x" : String($0) }.joined(separator: "/")
                let answer = try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "{}"))
                if open.contains("\(method) \(uri)") {
                    #expect(answer.status != .unauthorized, "\(method) \(uri)")
                } else if isPage(method, uri) {
                    #expect(answer.status == .seeOther, "\(method) \(uri): \(answer.status)")
                    #expect(answer.headers[.location] == "/dang-nhap", "\(method) \(uri)")
                } else {
                    #expect(answer.status == .unauthorized, "\(method) \(uri): \(answer.status)")
                }
            }
        }
        #expect(try await station.book.schedules().isEmpty)
        #expect(station.bus.published.isEmpty)
    }
}
