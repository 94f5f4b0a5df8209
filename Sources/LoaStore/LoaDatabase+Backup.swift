import Foundation
import GRDB

/// The store as a file: a consistent copy for `loa backup`, the check of a copy for `loa restore`, and telling
/// a corrupt file from other failures to open.
extension LoaDatabase {
    /// Whether `error` says the file is not a database or is corrupt (SQLITE_NOTADB, SQLITE_CORRUPT): no
    /// restart will fix that, unlike a locked file or a full disk.
    public static func isCorruption(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// Copies the store at `path` to a new file at `copy` through SQLite's online backup, so a daemon may keep
    /// writing meanwhile (a raw copy of a live store can miss its write-ahead log or tear a page).
    /// - Returns: the schema's migrations that the copy has.
    public static func backUp(_ path: String, to copy: String) throws -> [String] {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let source = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? source.close() }
        let destination = try DatabaseQueue(path: copy)
        defer { try? destination.close() }
        try source.backup(to: destination)
        return try destination.read { db in try migrator.appliedIdentifiers(db).sorted() }
    }

    /// Checks a store copy before it is restored: SQLite's integrity check passes, and its schema is one this
    /// version can open (its migrations are all known; older ones are brought up to date on start).
    /// - Returns: why it cannot be restored, or nil.
    public static func problemRestoring(_ path: String) -> String? {
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    return "fails SQLite's integrity check (\(check.prefix(3).joined(separator: "; ")))"
                }
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                guard unknown.isEmpty else {
                    return
                        "has a schema from a newer Loa (\(unknown.sorted().joined(separator: ", "))): upgrade Loa first"
                }
                return nil
            }
        } catch {
            return "cannot be opened (\(error))"
        }
    }

    /// The schema's migrations, oldest first: the store's schema version in a backup's manifest.
    public static var schemaMigrations: [String] { migrator.migrations }
}
