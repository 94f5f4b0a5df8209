import Foundation
import LoaALSA
import LoaTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("PlayoutThread through real file and null PCMs")
struct PlayoutThreadTests {
    @Test("one second of 440 Hz played on the thread reads back sample-exact", arguments: [1, 2])
    func sineReadsBackExactly(channels: Int) async throws {
        let filePCM = try FilePCM()
        defer { filePCM.removeDirectory() }
        let format = PCMFormat(sampleRate: 48_000, channels: channels)
        let sine = TestSignal.sine(frequency: 440, format: format, duration: .seconds(1))

        let playout = try PlayoutThread.open(name: filePCM.pcmName, format: format)
        let report = try await playout.play(sine)
        playout.stop()

        #expect(report.framesWritten == 48_000)
        #expect(report.underruns == 0)
        #expect(!playout.isRunning)
        let played = try filePCM.readBack()
        #expect(played.format == format)
        #expect(played.samples.count == sine.count)
        #expect(played.samples == sine)
    }

    @Test("buffers play back to back in order; stop plays out what is queued")
    func queuedBuffersInOrder() async throws {
        let filePCM = try FilePCM()
        defer { filePCM.removeDirectory() }
        let parts = (0..<5).map { index in TestSignal.ramp(count: 3_001 + index * 1_000).map { $0 &+ Int16(index) } }

        let playout = try PlayoutThread.open(name: filePCM.pcmName, format: .mono48k)
        let reports = Reports()
        for part in parts {
            playout.enqueue(part) { reports.append($0) }
        }
        playout.stop()

        #expect(reports.count == 5)
        #expect(reports.allSucceeded)
        #expect(try filePCM.readBack().samples == parts.flatMap { $0 })
    }

    @Test("the playout report carries a wall-clock timestamp taken during the call")
    func reportTimestampIsPlausible() async throws {
        let playout = try PlayoutThread.open(name: "null", format: .mono48k)
        defer { playout.stop() }

        let before = wallClockMicroseconds()
        let beforeInstant = ContinuousClock.now
        let report = try await playout.play(TestSignal.sine(format: .mono48k, duration: .milliseconds(200)))
        let after = wallClockMicroseconds()

        #expect(report.startedAtWallClockMicroseconds >= before)
        #expect(report.startedAtWallClockMicroseconds <= after)
        #expect(report.startedAt >= beforeInstant)
        #expect(report.delayAtStart >= 0)
        #expect(report.delayAtStartDuration == PCMFormat.mono48k.duration(ofFrames: report.delayAtStart))
        #expect(report.framesWritten == 9_600)
    }

    @Test("the heartbeat advances while idle and stops while the thread is stalled")
    func heartbeatAndStall() async throws {
        let playout = try PlayoutThread.open(name: "null", format: .mono48k, heartbeatInterval: .milliseconds(10))
        defer { playout.stop() }

        let first = playout.lastHeartbeat
        try await waitUntil { playout.lastHeartbeat > first }
        #expect(playout.isAlive(within: .seconds(60)))

        playout.stallForTesting()
        try await waitUntil { playout.isStalledForTesting }
        let stalledAt = playout.lastHeartbeat
        try await Task.sleep(for: .milliseconds(50))  // several heartbeat intervals
        #expect(playout.lastHeartbeat == stalledAt)

        playout.resumeForTesting()
        try await waitUntil { playout.lastHeartbeat > stalledAt }
        let report = try await playout.play(TestSignal.ramp(count: 480))
        #expect(report.framesWritten == 480)
    }

    @Test("stop is idempotent; later buffers fail with StoppedError")
    func stopTwiceThenPlay() async throws {
        let playout = try PlayoutThread.open(name: "null", format: .mono48k)
        playout.stop()
        playout.stop()
        #expect(!playout.isRunning)
        #expect(!playout.isAlive(within: .seconds(60)))
        await #expect(throws: PlayoutThread.StoppedError.self) {
            _ = try await playout.play([0, 0])
        }
    }

    @Test("stopping with discard fails queued buffers and still closes the device")
    func stopDiscarding() async throws {
        let playout = try PlayoutThread.open(name: "null", format: .mono48k)
        playout.stallForTesting()
        try await waitUntil { playout.isStalledForTesting }
        let reports = Reports()
        for _ in 0..<3 { playout.enqueue(TestSignal.ramp(count: 48_000)) { reports.append($0) } }
        playout.stop(discardingQueued: true)
        #expect(reports.count == 3)
        #expect(reports.stoppedCount == 3)
        #expect(!playout.isRunning)
    }

    @Test("cancelling a queued play removes it")
    func cancelQueuedPlay() async throws {
        let playout = try PlayoutThread.open(name: "null", format: .mono48k)
        defer { playout.stop() }
        playout.stallForTesting()
        try await waitUntil { playout.isStalledForTesting }
        let task = Task { try await playout.play(TestSignal.ramp(count: 4_800)) }
        try await waitUntil { playout.queuedCount == 1 }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(playout.queuedCount == 0)
        playout.resumeForTesting()
    }
}

/// Collects completions from the playout thread.
private final class Reports: Sendable {
    private let results = Mutex<[Result<PlayoutReport, any Error>]>([])
    func append(_ result: Result<PlayoutReport, any Error>) { results.withLock { $0.append(result) } }
    var count: Int { results.withLock { $0.count } }
    var allSucceeded: Bool {
        results.withLock { $0.allSatisfy { if case .success = $0 { true } else { false } } }
    }
    var stoppedCount: Int {
        results.withLock {
            $0.filter { if case .failure(let error) = $0 { error is PlayoutThread.StoppedError } else { false } }.count
        }
    }
}

/// Polls `condition` until it holds; fails after a generous limit (a liveness check, not a speed check).
private func waitUntil(
    _ condition: () -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition never became true", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}

private func wallClockMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
}
