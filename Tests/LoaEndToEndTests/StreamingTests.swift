import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// The whole path: `loa serve` streams an announcement to three real receiver processes (`loa receiver` and
/// `loa-receiver`) over a real mosquitto while playing it itself; every output carries the same audio, at the same
/// instants.
@Suite("Streaming end to end", .serialized)
struct StreamingTests {
    struct Receiver {
        let id: String
        let zone: String
        let process: LoaProcess
        let output: String
    }

    @Test func gatewayAndThreeReceiversPlayTheSameAudioInStep() async throws {
        let fixtures = try AudioFixtures("stream")
        let speech = try fixtures.speech(
            "ban-tin.wav",
            text: "Kính thưa bà con, sáng thứ bảy tuần này trạm y tế xã tổ chức tiêm vắc-xin cho trẻ em."
        )
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-stream")
        let journal = "\(directory)/journal.jsonl"
        let daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "file:'\(directory)/gateway.wav',wav", "--playout-journal", journal],
            directory: directory
        )
        let enrollments = "\(directory)/all.enrollment"
        let enrolled = try await daemon.loa(["receivers", "enroll", "--all", "--output", enrollments])
        try #require(enrolled.status == 0, "loa receivers enroll --all: \(enrolled.stderr)")

        // Watch the receivers' availability to know when all three listen.
        let watcher = try MQTTClient(
            configuration: daemon.brokerClient("watcher"),
            logger: TestBroker.logger("watcher")
        )
        try watcher.start()
        defer { watcher.shutdown() }
        #expect(await watcher.waitUntilConnected(timeout: .seconds(10)))
        try watcher.subscribe(to: "loa/v1/xa-an-phu/rx/+/status", delivery: .atLeastOnce)
        let online = OnlineSet()
        let watching = Task {
            for await message in watcher.messages {
                if let status = try? AvailabilityStatus(decoding: message.payload), status.state == .online {
                    online.insert(message.topic)
                }
            }
        }
        defer { watching.cancel() }

        var receivers: [Receiver] = []
        // `loa receiver`, then twice the standalone `loa-receiver` a loudspeaker's board installs: in step alike.
        for (id, zone) in [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay"), ("rx-bai-01", "xom-bai")] {
            let output = "\(directory)/\(id).wav"
            let process = try LoaProcess.receiver(
                [
                    "--enrollment", enrollments, "--id", id, "--zone", zone, "--audio-device",
                    "file:'\(output)',wav", "--state-dir", "\(directory)/\(id)",
                    "--playout-journal", "\(directory)/\(id).jsonl",
                ],
                standalone: id != "rx-dong-01",
                directory: directory
            )
            receivers.append(Receiver(id: id, zone: zone, process: process, output: output))
        }
        defer { for receiver in receivers { receiver.process.kill() } }
        let allOnline = await eventually(timeout: .seconds(20)) { online.count == 3 }
        try #require(allOnline, "receivers not online: \(receivers.map { $0.process.stderr })")

        let targets = receivers.map(\.id).joined(separator: ",")
        let announced = try await daemon.loa([
            "announce", "--audio", speech, "--receivers", targets, "--no-chime", "--json",
        ])
        #expect(announced.status == 0, "\(announced.stderr)")
        let receipt = try APICoding.decoder().decode(AnnounceReceipt.self, from: Data(announced.stdout.utf8))
        // Completed, and every receiver reported it played: a receiver reports the end of a session once it
        // has written its last message to its output and its journal.
        var entry: BroadcastLogEntry?
        let completed = await eventually(timeout: .seconds(60), every: .milliseconds(250)) {
            let log = try? await daemon.loa(["log", "--json"])
            let entries = try? APICoding.decoder().decode(
                [BroadcastLogEntry].self,
                from: Data((log?.stdout ?? "").utf8)
            )
            entry = entries?.first { $0.id == receipt.broadcastID }
            let reports = entry?.receivers ?? []
            return entry?.outcome == .completed
                && receivers.allSatisfy { receiver in
                    reports.contains { $0.receiver == receiver.id && $0.state == .played }
                }
        }
        #expect(completed, "the broadcast never completed with every receiver's report: \(String(describing: entry))")
        for receiver in receivers {
            receiver.process.signal(SIGTERM)
            #expect(await receiver.process.waitForExit(timeout: .seconds(10)) == 0)
        }
        #expect(await daemon.stop() == 0)

        // Every output, the gateway's and each receiver's, is the source after Opus: correlated against the
        // operator's file at 48 kHz (the gateway decodes the receivers' packets, so it lags by the pre-skip too).
        let referencePath = fixtures.path("reference-48k.wav")
        _ = try AudioFixtures.run(["sox", speech, "-r", "48000", "-b", "16", referencePath])
        let reference = try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: referencePath))).samples
            .map { Float($0) / 32768 }
        let outputs = [("gateway", "\(directory)/gateway.wav")] + receivers.map { ($0.id, $0.output) }
        for (player, path) in outputs {
            let played = try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: path))).samples.map {
                Float($0) / 32768
            }
            #expect(played.count > 48_000, "\(player) played \(played.count) samples")
            let match = AudioSignals.bestCorrelation(reference, played, maxLag: 960)
            print(
                "stream: \(player) against the source: correlation \(String(format: "%.3f", match.correlation)) at lag \(match.lag)"
            )
            #expect(match.correlation >= 0.95, "\(player) correlation \(match.correlation)")
        }

        // At the same instants: per audio message, each receiver against the gateway.
        let journals = [journal] + receivers.map { "\(directory)/\($0.id).jsonl" }
        let entries = try journals.flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
                try JSONDecoder().decode(PlayoutJournalEntry.self, from: Data($0.utf8))
            }
        }
        let gatewayTimes = Dictionary(
            entries.filter { $0.player == "gateway" }.map { ($0.sequence, $0.presented) },
            uniquingKeysWith: { first, _ in first }
        )
        var offsets: [Int64] = []
        for entry in entries where entry.player != "gateway" {
            if let reference = gatewayTimes[entry.sequence] { offsets.append(abs(entry.presented - reference)) }
        }
        let lateGateway = entries.filter { $0.player == "gateway" }.map { ($0.sequence, $0.presented - $0.due) }
            .sorted { $0.1 > $1.1 }.prefix(3)
        print("stream: gateway's latest messages (sequence, µs after due): \(Array(lateGateway))")
        for player in ["gateway"] + receivers.map(\.id) {
            let late = entries.filter { $0.player == player }.map { $0.presented - $0.due }.sorted()
            guard !late.isEmpty else { continue }
            print(
                "stream: \(player) presented−due: p50 \(late[late.count / 2]) µs, p99 \(late[late.count * 99 / 100]) µs, max \(late.last!) µs"
            )
        }
        #expect(offsets.count >= 3 * max(gatewayTimes.count - 1, 1), "too few journal entries: \(offsets.count)")
        let sorted = offsets.sorted()
        let p50 = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        print(
            "stream: gateway vs receivers, per message: p50 \(p50) µs, p99 \(p99) µs, max \(sorted.last ?? 0) µs over \(sorted.count)"
        )
        #expect(p99 <= 5_000, "p99 offset \(p99) µs")

        // Every receiver reported the broadcast played.
        #expect(receivers.allSatisfy { !$0.process.stderr.contains("rejected") })
    }
}

/// `loa health --json`'s shape, for the broker URL.
struct HealthCommandOutput: Decodable {
    let status: String
    let report: HealthReport?
}

/// Topics seen online, from the watcher's task.
final class OnlineSet: @unchecked Sendable {
    let lock = NSLock()
    var topics: Set<String> = []

    func insert(_ topic: String) { lock.withLock { _ = topics.insert(topic) } }
    var count: Int { lock.withLock { topics.count } }
}
