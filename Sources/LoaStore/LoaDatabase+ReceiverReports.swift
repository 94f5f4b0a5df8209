import Foundation
import GRDB
import LoaCore

/// What each receiver reported about a broadcast: acked, played, interrupted or failed.
extension LoaDatabase {
    public func recordReceiverReport(broadcast: Int64, receiver: String, state: String, at: Date, detail: String?) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO broadcast_receiver (broadcast_id, receiver_id, state, at, detail) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (broadcast_id, receiver_id) DO UPDATE SET state = excluded.state, at = excluded.at, detail = excluded.detail
                    """,
                arguments: [broadcast, receiver, state, at, detail])
        }
    }

    /// The receivers' reports for one broadcast, by receiver id.
    public func receiverReports(broadcast: Int64) throws -> [String: String] {
        try writer.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT receiver_id, state FROM broadcast_receiver WHERE broadcast_id = ?", arguments: [broadcast])
                    .map { ($0["receiver_id"] as String, $0["state"] as String) },
                uniquingKeysWith: { _, last in last })
        }
    }
}
