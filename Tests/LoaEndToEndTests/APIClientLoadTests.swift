import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 12: with 200 API clients at once (a quarter adding schedules, the rest listing them), adding a
/// schedule took 18-60 s, `loa health` said the daemon was unreachable, and an emergency `loa announce` exited
/// 69 although it aired. With the same load running (scripts/load-api.py, from a process of its own, bounded
/// in count and in time), health answers, and the emergency is accepted (exit 0) and starts on every receiver.
@Suite("200 API clients at once", .serialized)
struct APIClientLoadTests {
    /// Runs scripts/load-api.py against the daemon's TCP API: `clients` clients, `adders` of them adding
    /// schedules, each making `requests` requests, none starting after `seconds`.
    static func load(
        port: Int,
        token: String,
        clients: Int,
        adders: Int,
        requests: Int,
        seconds: Int
    ) throws -> LoaProcess {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/load-api.py").path
        return try LoaProcess(
            [
                script, "--url", "http://127.0.0.1:\(port)", "--clients", "\(clients)", "--adders", "\(adders)",
                "--requests", "\(requests)", "--duration", "\(seconds)", "--timeout", "60",
            ],
            executable: URL(fileURLWithPath: "/usr/bin/python3"),
            environment: ["LOA_TOKEN": String(token.dropFirst("Bearer ".count))]
        )
    }

    @Test func anEmergencyAirsAndHealthAnswersUnder200APIClients() async throws {
        let site = try await LiveSite(label: "load")
        defer { site.shutdown() }
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
        for (id, zone) in placements { try site.startReceiver(id, zone: zone) }
        try #require(await site.waitUntilOnline(placements.map(\.0)))

        let load = try Self.load(
            port: site.daemon.port,
            token: try await site.daemon.bearer(),
            clients: 200,
            adders: 50,
            requests: 6,
            seconds: 90
        )
        defer { load.kill() }
        // Let the clients connect and the adds pile up before the emergency.
        let busy = await eventually(timeout: .seconds(30), every: .milliseconds(500)) {
            guard let listed = try? await site.daemon.loa(["schedule", "list", "--json"]) else { return false }
            let added = try? APICoding.decoder().decode([Schedule].self, from: Data(listed.stdout.utf8))
            return (added?.count ?? 0) > 0
        }
        #expect(busy, "the load added no schedule: \(load.stdout) \(load.stderr)")

        let health = try await site.daemon.loa(["health"])
        #expect(!health.stderr.contains("unreachable") && !health.stderr.contains("cannot reach"))
        #expect(health.status == 0, "loa health under load: \(health.stdout) \(health.stderr)")

        let requested = LiveSite.now()
        let announce = try await site.daemon.loa([
            "announce", "--priority", "emergency", "--text", "Lũ đang lên, bà con di chuyển đến nơi an toàn.",
            "--receivers", "rx-dong-01,rx-tay-01", "--no-chime", "--title", "Khẩn cấp", "--json",
        ])
        #expect(announce.status == 0, "loa announce under load exited \(announce.status): \(announce.stderr)")
        let play = try #require(await site.command { $0.play?.priority == .emergency }?.command?.play)
        for (id, _) in placements {
            let started = await site.event(of: id, timeout: .seconds(30)) {
                $0.kind == .sessionStarted && $0.session == play.session
            }
            let at = try #require(started?.at, "\(id) never started the emergency under load")
            print("load: \(id) started the emergency \(Double(at - requested) / 1000) ms after the request")
        }

        // The load is bounded: it ends by itself, and every one of its requests was answered.
        let status = await load.waitForExit(timeout: .seconds(180))
        print("load: \(load.stdout)")
        // It exits 0 only when every request was answered with success.
        #expect(status == 0, "the load: \(load.stdout) \(load.stderr)")
        #expect(load.stdout.contains("adds=300 "), "not every add was made: \(load.stdout)")

        if let receipt = try? APICoding.decoder().decode(AnnounceReceipt.self, from: Data(announce.stdout.utf8)) {
            let entry = await site.waitForBroadcast(receipt.broadcastID) { $0 == .completed }
            #expect(entry?.outcome == .completed, "the emergency's log entry: \(String(describing: entry))")
        }
        // Paging: every schedule the load added is listed, through the `next` links.
        let listed = try await site.daemon.loa(["schedule", "list", "--json"])
        let schedules = try APICoding.decoder().decode([Schedule].self, from: Data(listed.stdout.utf8))
        #expect(schedules.count == 300)
    }
}
