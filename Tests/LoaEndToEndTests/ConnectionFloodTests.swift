import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 12: about 1,100 idle HTTP connections made the API unreachable and an emergency slot then killed the
/// daemon. With 2,000 held open, the API's connection cap keeps the daemon's descriptors bounded, and the
/// emergency goes through the control socket and airs on every receiver.
@Suite("A flood of idle connections", .serialized)
struct ConnectionFloodTests {
    /// Holds `count` TCP connections open to 127.0.0.1:`port` from a process of its own, as an attacker's idle
    /// clients would (not from the test process: Foundation misbehaves with descriptors past 1024). Returns
    /// once they are all open (accepted or waiting in the kernel's queue).
    static func flood(port: Int, count: Int) async throws -> LoaProcess {
        let script = """
            import resource, socket, sys, time
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, \(count) + 256), hard))
            held = []
            for _ in range(\(count)):
                s = socket.socket(); s.setblocking(False)
                s.connect_ex(("127.0.0.1", \(port))); held.append(s)
            print("open", len(held), flush=True)
            time.sleep(600)
            """
        let child = try LoaProcess(["-c", script], executable: URL(fileURLWithPath: "/usr/bin/python3"))
        let opened = await eventually(timeout: .seconds(30)) { child.stdout.contains("open \(count)") }
        try #require(opened, "the flood did not open \(count) connections: \(child.stdout) \(child.stderr)")
        return child
    }

    static func openDescriptors(of pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    @Test func anEmergencyAirsWhile2000IdleConnectionsAreOpen() async throws {
        let site = try await LiveSite(label: "flood")
        defer { site.shutdown() }
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
        for (id, zone) in placements { try site.startReceiver(id, zone: zone) }
        try #require(await site.waitUntilOnline(placements.map(\.0)))

        let flood = try await Self.flood(port: site.daemon.port, count: 2000)
        defer { flood.kill() }
        let daemon = try #require(site.daemon.process?.pid)
        // The cap: the daemon holds no more than its cap of them, however many wait.
        let held = Self.openDescriptors(of: daemon)
        #expect(held < 256 + 200, "the daemon holds \(held) descriptors with 2,000 connections waiting")

        let health = try await site.daemon.loa(["health"])
        #expect(health.status == 0, "loa health during the flood: \(health.stdout) \(health.stderr)")
        let requested = LiveSite.now()
        let broadcast = try await site.announce([
            "--priority", "emergency", "--text", "Bão số năm sắp đổ bộ, bà con di chuyển đến nơi an toàn.",
            "--receivers", "rx-dong-01,rx-tay-01", "--no-chime", "--title", "Khẩn cấp",
        ])
        let play = try #require(await site.command { $0.play?.priority == .emergency }?.command?.play)
        for (id, _) in placements {
            let started = await site.event(of: id, timeout: .seconds(30)) {
                $0.kind == .sessionStarted && $0.session == play.session
            }
            let at = try #require(started?.at, "\(id) never started the emergency during the flood")
            print("flood: \(id) started the emergency \(Double(at - requested) / 1000) ms after the request")
        }
        #expect(Self.openDescriptors(of: daemon) < 256 + 200)
        flood.kill()
        let entry = await site.waitForBroadcast(broadcast) { $0 == .completed }
        #expect(entry?.outcome == .completed, "the emergency's log entry: \(String(describing: entry))")
    }
}
