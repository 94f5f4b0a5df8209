import Foundation
import GRDB
import LoaCore

/// What each receiver reported about a broadcast: one row per receiver, with its acknowledgement of the
/// `play` command kept apart from its playback state, so a later report never hides that it acked.
extension LoaDatabase {
    /// Migration v4: when each receiver acknowledged the `play` command.
    static func addReceiverAcknowledgements(_ db: Database) throws {
        try db.alter(table: "broadcast_receiver") { t in
            t.add(column: "acked_at", .datetime)
        }
    }

    /// Records receivers' reports in one transaction, in order (one disk sync for a whole burst, such as every
    /// receiver acknowledging the same `play`). Each is the receiver's whole row as the controller knows it.
    public func recordReceiverReports(_ reports: [ReceiverReportUpdate]) async throws {
        guard !reports.isEmpty else { return }
        try await writer.write { db in
            for update in reports { try Self.record(update, in: db) }
        }
    }

    static func record(_ update: ReceiverReportUpdate, in db: Database) throws {
        let report = update.report
        try db.execute(
            sql: """
                INSERT INTO broadcast_receiver (broadcast_id, receiver_id, state, at, detail, acked_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (broadcast_id, receiver_id) DO UPDATE SET state = excluded.state, at = excluded.at,
                    detail = excluded.detail, acked_at = excluded.acked_at
                """,
            arguments: [
                update.broadcast, report.receiver, report.state.rawValue, report.at, report.detail, report.ackedAt,
            ]
        )
    }

    /// The receivers' reports for the broadcasts `ids`, by broadcast, each list sorted by receiver id.
    func receiverReports(_ db: Database, broadcasts ids: [Int64]) throws -> [Int64: [BroadcastReceiverReport]] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT * FROM broadcast_receiver WHERE broadcast_id IN (\(placeholders)) ORDER BY broadcast_id, receiver_id",
            arguments: StatementArguments(ids)
        )
        var reports: [Int64: [BroadcastReceiverReport]] = [:]
        for row in rows {
            // A state this version does not know (a newer daemon wrote it) is left out, not fatal.
            guard let state = Self.receiverState(row["state"]) else { continue }
            reports[row["broadcast_id"], default: []].append(
                BroadcastReceiverReport(
                    receiver: row["receiver_id"],
                    state: state,
                    at: row["at"],
                    ackedAt: row["acked_at"],
                    detail: row["detail"]
                )
            )
        }
        return reports
    }

    /// A stored state; `interrupted`, written before each target's outcome was judged, reads as cut short.
    static func receiverState(_ text: String) -> BroadcastReceiverReport.State? {
        text == "interrupted" ? .cutShort : BroadcastReceiverReport.State(rawValue: text)
    }
}
