import Foundation
import GRDB
import LoaCore

/// What the disk refused until the daemon stopped: broadcast-log writes and receivers' reports, kept in files
/// beside the database and written first on the next start, so a full disk loses no outcome across a restart.
///
/// A full disk has no room for those files either, so the store keeps a small reserve file while it has room,
/// and gives it up to make room for them.
extension LoaDatabase {
    /// Room kept for the files: a few hundred outcomes' worth.
    static let reserveBytes = 512 * 1024

    var unwrittenLogPath: String { "\(path).unwritten-log.json" }
    var unwrittenReportsPath: String { "\(path).unwritten-reports.json" }
    var reservePath: String { "\(path).reserve" }

    public func keep(unwritten: [UnwrittenLogWrite]) async {
        keep(unwritten, at: unwrittenLogPath)
    }

    /// Keeps receivers' reports the disk refused until the stop, for the next start.
    public func keep(unwrittenReports reports: [ReceiverReportUpdate]) {
        keep(reports.map(KeptReport.init), at: unwrittenReportsPath)
    }

    /// Adds `items` to what the file at `path` already keeps, making room by giving up the reserve.
    func keep<Item: Codable>(_ items: [Item], at path: String) {
        guard !items.isEmpty else { return }
        try? FileManager.default.removeItem(atPath: reservePath)
        let earlier = (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap {
            try? JSONDecoder().decode([Item].self, from: $0)
        }
        guard let data = try? JSONEncoder().encode((earlier ?? []) + items) else { return }
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes what an earlier run kept, in order, then drops the files; keeps the reserve for next time. Does
    /// nothing (and keeps the files) while the store refuses writes.
    func writeKept() async {
        var realIDs: [Int64: Int64] = [:]
        if let writes = Self.read([UnwrittenLogWrite].self, at: unwrittenLogPath) {
            do {
                for write in writes {
                    switch write {
                    case .append(let entry, let provisional): realIDs[provisional] = try await append(entry)
                    case .update(var entry):
                        if let id = entry.id, id < 0 {
                            guard let real = realIDs[id] else { continue }
                            entry.id = real
                        }
                        try await update(entry)
                    case .watermark(let date): try await setWatermark(date)
                    }
                }
                try? FileManager.default.removeItem(atPath: unwrittenLogPath)
            } catch {
                return
            }
        }
        if let kept = Self.read([KeptReport].self, at: unwrittenReportsPath) {
            let reports = kept.compactMap { report -> ReceiverReportUpdate? in
                let broadcast = report.broadcast < 0 ? realIDs[report.broadcast] : report.broadcast
                return broadcast.map { ReceiverReportUpdate(broadcast: $0, report: report.report) }
            }
            guard (try? await recordReceiverReports(reports)) != nil else { return }
            try? FileManager.default.removeItem(atPath: unwrittenReportsPath)
        }
        if !FileManager.default.fileExists(atPath: reservePath) {
            try? Data(count: Self.reserveBytes).write(to: URL(fileURLWithPath: reservePath))
        }
    }

    static func read<T: Decodable>(_ type: T.Type, at path: String) -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    /// A receiver's report as the file keeps it.
    struct KeptReport: Codable {
        let broadcast: Int64
        let report: BroadcastReceiverReport

        init(_ update: ReceiverReportUpdate) {
            broadcast = update.broadcast
            report = update.report
        }
    }
}
