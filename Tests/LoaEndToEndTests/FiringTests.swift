import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// An approved occurrence fires through ALSA on time. The figure is the daemon's own playout timestamp
/// (the file PCM is not paced in real time, so nothing else would be meaningful).
@Suite("Firing through ALSA")
struct FiringTests {
    @Test func anOccurrenceStartsWithin50msOfItsPlannedTime() async throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-fire")
        let output = "\(directory)/gateway.wav"
        let daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "file:'\(output)',wav"],
            directory: directory
        )

        // The next whole minute at least 20 s away, so the content is prepared ahead as in the field.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        var planned = calendar.nextDate(
            after: Date().addingTimeInterval(20),
            matching: DateComponents(second: 0),
            matchingPolicy: .nextTime
        )!
        if planned.timeIntervalSinceNow < 20 { planned = planned.addingTimeInterval(60) }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: planned)
        let at = String(
            format: "%04d-%02d-%02d %02d:%02d",
            parts.year!,
            parts.month!,
            parts.day!,
            parts.hour!,
            parts.minute!
        )

        let added = try await daemon.loa(
            ["schedule", "add", "--text", "Xin chào bà con thôn Đông", "--at", at, "--all", "--no-chime", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(added.stdout.utf8))
        #expect(try await daemon.loa(["schedule", "approve", schedule.id]).status == 0)

        var entry: BroadcastLogEntry?
        let done = await eventually(timeout: .seconds(120), every: .milliseconds(500)) {
            let log = try? await daemon.loa(["log", "--json"])
            entry = (try? APICoding.decoder().decode([BroadcastLogEntry].self, from: Data((log?.stdout ?? "").utf8)))?
                .first { $0.scheduleID == schedule.id }
            return entry?.outcome.isFinal == true
        }
        #expect(
            done,
            "no final log entry; last seen: \(String(describing: entry)); stderr: \(daemon.process?.stderr ?? "")"
        )
        // Aired to its end on the gateway's line, but no receiver of the sample commune runs here: failed, and
        // the log says why.
        #expect(entry?.outcome == .failed, "\(String(describing: entry))")
        #expect(entry?.detail?.hasPrefix("played on 0 of 5; rx-bai-01 never reached (offline at the start)") == true)
        let started = try #require(entry?.startedAt)
        let lateness = started.timeIntervalSince(planned)
        print("firing: started \(String(format: "%.1f", lateness * 1000)) ms after the planned instant")
        #expect(abs(lateness) <= 0.050, "started \(Int(lateness * 1000)) ms from the planned instant")
        #expect(await daemon.stop() == 0)

        let played = try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(played.sampleRate == 48_000)
        #expect(played.samples.count > 48_000, "less than a second of speech reached the output")
        #expect(played.samples.contains { abs(Int($0)) > 1000 }, "the output is silent")
    }
}
