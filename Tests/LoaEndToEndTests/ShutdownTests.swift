import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Stopping the daemon in the middle of a broadcast: a clean exit, and the broadcast logged as interrupted,
/// never left half-logged.
@Suite("Shutdown during a broadcast")
struct ShutdownTests {
    @Test func sigtermDuringABroadcastExitsZeroAndLogsItInterrupted() async throws {
        let daemon = try await DaemonUnderTest(arguments: ["--audio-device", "null", "--stream-lead-ms", "300"])
        let announced = try await daemon.loa(
            [
                "announce", "--text", "Thông báo khẩn: bà con chú ý lịch cắt điện ngày mai.", "--all", "--repeat", "5",
                "--json",
            ])
        #expect(announced.status == 0, "\(announced.stderr)")
        let receipt = try APICoding.decoder().decode(AnnounceReceipt.self, from: Data(announced.stdout.utf8))

        func entry() async throws -> BroadcastLogEntry? {
            let log = try await daemon.loa(["log", "--json"])
            return try APICoding.decoder().decode([BroadcastLogEntry].self, from: Data(log.stdout.utf8))
                .first { $0.id == receipt.broadcastID }
        }
        let playing = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            (try? await entry())?.outcome == .playing
        }
        #expect(playing, "the announcement never went on the air")
        // The scenario: a second into the broadcast. Nothing below depends on how long it really was.
        try await Task.sleep(for: .seconds(1))

        let stopped = ContinuousClock.now
        #expect(await daemon.stop(signal: SIGTERM) == 0)
        #expect(ContinuousClock.now - stopped < .seconds(5))

        try await daemon.start()
        let logged = try await entry()
        #expect(logged?.outcome == .interrupted)
        #expect(logged?.detail == "the daemon stopped")
        #expect(await daemon.stop() == 0)
    }
}
