import Foundation
import GRDB
import Synchronization

/// The store's SQLite connection, which a full disk can make read-only: when the file cannot be opened for
/// writing (SQLite cannot even size its shared-memory index), it is opened read-only instead, so the daemon
/// still starts, reads its schedules and airs them. ``reopenForWriting()`` swaps in a writable pool once the
/// disk has room again.
final class StoreConnection: Sendable {
    /// Why the store is read-only, or nil when it is writable.
    struct ReadOnly: Sendable {
        let reason: String
    }

    let path: String
    private let state: Mutex<(writer: any DatabaseWriter, readOnly: ReadOnly?)>

    /// Opens the store for writing and brings its schema up to date; falls back to reading only when that
    /// fails on an existing, up-to-date file.
    init(path: String, migrator: DatabaseMigrator) throws {
        self.path = path
        do {
            state = Mutex((try Self.openForWriting(path, migrator: migrator), nil))
        } catch {
            guard FileManager.default.fileExists(atPath: path) else { throw error }
            let reader = try Self.openReadOnly(path)
            guard try reader.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
            state = Mutex((reader, ReadOnly(reason: "\(error)")))
        }
    }

    var writer: any DatabaseWriter { state.withLock { $0.writer } }
    var readOnly: ReadOnly? { state.withLock { $0.readOnly } }

    /// Tries to make a read-only store writable again; returns true when it is writable.
    func reopenForWriting(migrator: DatabaseMigrator) -> Bool {
        state.withLock { state in
            guard state.readOnly != nil else { return true }
            // The read-only connection holds its lock for as long as it is open: close it first.
            try? (state.writer as? DatabaseQueue)?.close()
            do {
                state = (try Self.openForWriting(path, migrator: migrator), nil)
                return true
            } catch {
                if let reader = try? Self.openReadOnly(path) {
                    state = (reader, ReadOnly(reason: "\(error)"))
                }
                return false
            }
        }
    }

    private static func openForWriting(_ path: String, migrator: DatabaseMigrator) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Durability over speed: a broadcast log entry written before a crash must survive it.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(pool)
        return pool
    }

    /// One read-only connection. In exclusive locking mode SQLite keeps the write-ahead log's index in memory
    /// rather than in the `-shm` file a full disk cannot hold; when even that fails (a `-shm` left half-written),
    /// the file is read as immutable, without its write-ahead log: the newest changes are missing until the store
    /// is writable again, but nothing is lost, since nothing is written meanwhile.
    private static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in _ = try Row.fetchOne(db, sql: "SELECT 1 FROM sqlite_master") }
            return queue
        } catch {
            // SQLite reads `file:` URIs (Debian builds it with SQLITE_USE_URI).
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            return try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
        }
    }
}
