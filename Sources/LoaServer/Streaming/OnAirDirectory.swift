import Foundation
import LoaCore
import Logging
import ServiceLifecycle
import Synchronization

/// The on-air records of `loa serve`: one JSON file per emergency or priority broadcast on air, in
/// `<state>/on-air/`, written atomically (a temporary file renamed) when it starts and removed when it ends, so
/// that a restart after a crash finds what was cut, content included (a `loa announce` lives only in memory).
///
/// While records are kept, the service rewrites them every `heartbeat` with the time, so a restart knows to
/// within a heartbeat when the crash happened, and from where to air the rest. A write that fails (a full
/// disk) is logged once per run of failures and never stops a broadcast: it only costs its resumption.
final class OnAirDirectory: OnAirRecording, Service, Sendable {
    let directory: URL
    let clock: any WallClock
    let heartbeat: Duration
    let logger: Logger
    /// This run's records, by broadcast.
    let current = Mutex<[Int64: OnAirRecord]>([:])
    /// What the previous run left, read once at start.
    let previous: [OnAirRecord]
    /// Whether the last write failed, so that a run of failures is logged once.
    let failing = Mutex(false)

    init(directory: String, clock: any WallClock, heartbeat: Duration = .seconds(1), logger: Logger) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.clock = clock
        self.heartbeat = heartbeat
        self.logger = logger
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var previous: [OnAirRecord] = []
        for name in files.sorted() where name.hasSuffix(".json") {
            let url = self.directory.appendingPathComponent(name)
            do {
                previous.append(try JSONDecoder().decode(OnAirRecord.self, from: Data(contentsOf: url)))
            } catch {
                logger.warning("onair.unreadable", metadata: ["file": "\(url.path)", "error": "\(error)"])
                try? FileManager.default.removeItem(at: url)
            }
        }
        self.previous = previous
    }

    // MARK: OnAirRecording

    func leftOver() async -> [OnAirRecord] { previous }

    // Files are written and removed under the lock, so that a heartbeat never brings back a record that
    // has just ended.

    func began(_ record: OnAirRecord) {
        current.withLock { records in
            records[record.broadcast] = record
            write(record)
        }
    }

    func ended(broadcast: Int64) {
        current.withLock { records in
            let known = records.removeValue(forKey: broadcast) != nil
            guard known || previous.contains(where: { $0.broadcast == broadcast }) else { return }
            do {
                try FileManager.default.removeItem(at: file(broadcast))
            } catch {
                logger.warning("onair.remove-failed", metadata: ["broadcast.id": "\(broadcast)", "error": "\(error)"])
            }
        }
    }

    // MARK: Service

    /// Keeps the records alive until the daemon stops.
    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.clock.sleep(until: self.clock.now().addingTimeInterval(self.heartbeat.timeInterval))
                } catch { return }
                let now = self.clock.nowMicroseconds()
                self.current.withLock { records in
                    for key in records.keys {
                        records[key]?.aliveMicroseconds = now
                        if let record = records[key] { self.write(record) }
                    }
                }
            }
        }
    }

    // MARK: Files

    func file(_ broadcast: Int64) -> URL { directory.appendingPathComponent("\(broadcast).json") }

    func write(_ record: OnAirRecord) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try encoder.encode(record).write(to: file(record.broadcast), options: .atomic)
            if failing.withLock({ $0 }) {
                failing.withLock { $0 = false }
                logger.notice("onair.write-recovered")
            }
        } catch {
            let first = failing.withLock { failing in
                defer { failing = true }
                return !failing
            }
            if first {
                logger.error(
                    "onair.write-failed",
                    metadata: [
                        "broadcast.id": "\(record.broadcast)", "error": "\(error)",
                        "consequence": "a crash now would not air the rest of this broadcast on restart",
                    ]
                )
            }
        }
    }
}
