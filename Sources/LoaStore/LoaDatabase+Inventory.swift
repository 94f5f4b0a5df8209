import Foundation
import GRDB
import LoaCore

/// Zones and receivers, mirrored from `device-configs/` on start and on reload.
extension LoaDatabase {
    /// Replaces the inventory with `inventory` in one transaction.
    public func replaceInventory(_ inventory: SiteInventory, actor: Caller = .system) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM receiver")
            try db.execute(sql: "DELETE FROM zone")
            for zone in inventory.zones {
                try db.execute(sql: "INSERT INTO zone (id, name) VALUES (?, ?)", arguments: [zone.id, zone.name])
            }
            for receiver in inventory.receivers {
                try db.execute(
                    sql: "INSERT INTO receiver (id, name, zone_id, latitude, longitude) VALUES (?, ?, ?, ?, ?)",
                    arguments: [receiver.id, receiver.name, receiver.zone, receiver.latitude, receiver.longitude]
                )
            }
            try Self.audit(
                db,
                AuditEntry(
                    caller: actor,
                    action: "inventory.load",
                    detail: "\(inventory.zones.count) zones, \(inventory.receivers.count) receivers"
                )
            )
        }
    }

    public func inventory() throws -> SiteInventory {
        try writer.read { db in
            let zones = try Row.fetchAll(db, sql: "SELECT id, name FROM zone ORDER BY id").map {
                Zone(id: $0["id"], name: $0["name"])
            }
            let receivers = try Row.fetchAll(db, sql: "SELECT * FROM receiver ORDER BY id").map {
                Receiver(
                    id: $0["id"],
                    name: $0["name"],
                    zone: $0["zone_id"],
                    latitude: $0["latitude"],
                    longitude: $0["longitude"]
                )
            }
            return SiteInventory(zones: zones, receivers: receivers)
        }
    }
}
