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
                headers: [.init("X-Loa-User")!: Self.operatorUser],
                body: try Self.json(try Self.draft(title: "Bản tin sáng"))
            )
            #expect(created.status == .created)
            let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(buffer: created.body))
            #expect(schedule.approval == .draft && schedule.announcement.title == "Bản tin sáng")

            let refused = try await client.execute(
                uri: "/api/v1/schedules/\(schedule.id)/approve",
                method: .post,
                headers: [.init("X-Loa-User")!: Self.operatorUser]
            )
            #expect(refused.status == .forbidden)
            let error = try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: refused.body))
            #expect(error.error.contains(Self.operatorUser))

            let approved = try await client.execute(
                uri: "/api/v1/schedules/\(schedule.id)/approve",
                method: .post,
                headers: [.init("X-Loa-User")!: Self.approver]
            )
            #expect(approved.status == .ok)
            let listed = try await client.execute(uri: "/api/v1/schedules", method: .get)
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
                headers: [.init("X-Loa-User")!: Self.approver],
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
                headers: [.init("X-Loa-User")!: Self.approver],
                body: ByteBuffer(string: String(repeating: "[", count: 513))
            )
            #expect(tooDeep.status == .badRequest)
            #expect(String(buffer: tooDeep.body).contains("nested deeper"))

            let anonymous = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                body: try Self.json(try Self.draft(title: "Không tên"))
            )
            #expect(anonymous.status == .badRequest)
            #expect(String(buffer: anonymous.body).contains("X-Loa-User"))

            let unknownZone = try await client.execute(
                uri: "/api/v1/volume",
                method: .post,
                headers: [.init("X-Loa-User")!: Self.approver],
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
                headers: [.init("X-Loa-User")!: Self.operatorUser],
                body: try Self.json(VolumeRequest(targets: .zones(["thon-dong", "thon-tay"]), level: 40))
            )
            #expect(refused.status == .forbidden)
            #expect(station.bus.published.isEmpty)

            let done = try await client.execute(
                uri: "/api/v1/volume",
                method: .post,
                headers: [.init("X-Loa-User")!: Self.approver],
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

    @Test func healthAndMetricsAnswer() async throws {
        let station = try await StationHarness()
        try await station.application().test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            let report = try APICoding.decoder().decode(HealthReport.self, from: Data(buffer: health.body))
            #expect(report.site == "xa-an-phu")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains("loa_playout_journal_write_failures_total 0"))
        }
    }
}
