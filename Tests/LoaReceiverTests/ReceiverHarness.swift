import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaReceiver
import LoaSecurity
import LoaTestSupport

/// A receiver (or a simulated fleet) running in this process against the test broker, with its own state
/// dir, a `file` PCM and a playout journal, stopped by cancelling it as SIGTERM would.
final class ReceiverUnderTest: Sendable {
    let fleet: ReceiverFleet
    let task: Task<Void, Never>
    let directory: String
    let journalPath: String
    let output: FilePCM?
    let id: String

    /// Starts receiver `id` in `zone` and waits until the controller sees it online.
    init(
        broker: MosquittoBroker,
        controller: TestController,
        id: String = "rx-test",
        zone: String = "thon-dong",
        output: ReceiverOutputKind = .file,
        dropFraction: Double = 0,
        dropSeed: UInt64 = 1,
        controllerKey: [UInt8]? = nil,
        stateDirectory: String? = nil
    ) async throws {
        self.id = id
        directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-rx")
        journalPath = "\(directory)/journal.jsonl"
        let pcm = output == .file ? try FilePCM(label: "loa-rx-out") : nil
        self.output = pcm
        let receiverOutput: ReceiverOutput =
            switch output {
            case .file: .device(pcm!.pcmName)
            case .null: .device("null")
            case .none: .none
            }
        var configuration = ReceiverConfiguration(
            broker: .remote(host: "127.0.0.1", port: broker.port, tls: false),
            site: controller.topics.site,
            receivers: [try ReceiverIdentity(id: id, zone: zone)],
            output: receiverOutput,
            controllerKey: try ControllerPublicKey(publicKey: controllerKey ?? controller.key.publicKey),
            stateDirectory: stateDirectory ?? "\(directory)/state"
        )
        configuration.playoutJournal = journalPath
        configuration.telemetryInterval = .seconds(1)
        configuration.audioDropFraction = dropFraction
        configuration.audioDropSeed = dropSeed
        configuration.reconnect = Backoff(initial: .milliseconds(100), maximum: .seconds(1))
        fleet = try ReceiverFleet(configuration: configuration, logger: TestBroker.logger("loa.test.receiver"))
        let fleet = self.fleet
        task = Task { await fleet.runReceivers() }
        guard await controller.waitUntilOnline(id) else {
            task.cancel()
            throw HarnessError(description: "receiver \(id) did not come online within 30 s")
        }
    }

    enum ReceiverOutputKind { case file, null, none }

    var receiver: ReceiverRuntime { fleet.receivers[0] }

    /// Stops the receiver as SIGTERM would (offline, clean disconnect, device closed).
    func stop() async {
        task.cancel()
        await task.value
    }

    /// What was played, once stopped.
    func played() throws -> [Float] {
        guard let output else { return [] }
        return try output.readBack().samples.map { Float($0) / 32_767 }
    }

    /// The playout journal's lines.
    func journal() throws -> [PlayoutJournalEntry] {
        guard let data = FileManager.default.contents(atPath: journalPath) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(PlayoutJournalEntry.self, from: Data($0.utf8))
        }
    }

    /// The volume kept in the state dir.
    var persistedVolume: String? {
        FileManager.default.contents(atPath: "\(directory)/state/volume").map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    func remove() {
        output?.removeDirectory()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Percentiles of presented − due, in µs, for the report.
struct SyncFigures: CustomStringConvertible {
    let count: Int
    let p50: Int64
    let p99: Int64
    let maximum: Int64
    let minimum: Int64

    init(_ entries: [PlayoutJournalEntry]) {
        let offsets = entries.map { $0.presented - $0.due }.sorted()
        count = offsets.count
        func percentile(_ p: Double) -> Int64 {
            offsets.isEmpty ? 0 : offsets[min(offsets.count - 1, Int((Double(offsets.count - 1) * p).rounded()))]
        }
        p50 = percentile(0.5)
        p99 = percentile(0.99)
        maximum = offsets.last ?? 0
        minimum = offsets.first ?? 0
    }

    var description: String {
        "presented−due over \(count) messages: p50 \(p50) µs, p99 \(p99) µs, min \(minimum) µs, max \(maximum) µs"
    }
}

/// Wall-clock µs, `seconds` from now.
func wallClock(in seconds: Double) -> Int64 { TestController.now() + Int64(seconds * 1_000_000) }

/// A site id no other test uses.
func uniqueSite(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(6).lowercased())" }

struct HarnessError: Error, CustomStringConvertible {
    let description: String
}
