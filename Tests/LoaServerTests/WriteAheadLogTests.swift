import Foundation
import GRDB
import LoaStore
import LoaTestSupport
import Testing

/// The write-ahead log check, on logs SQLite wrote: 30 commits with checkpointing off, the log copied while
/// the connection is open (as a crash leaves it). A torn last frame and stale frames of an earlier generation
/// are a normal crash; a bad frame with valid ones after it is damage, and SQLite itself would drop them.
@Suite("The write-ahead log check")
struct WriteAheadLogTests {
    /// A store with 30 rows, each in its own commit, and its log as it is on disk while still open.
    struct Written {
        let directory: String
        let database: [UInt8]
        let log: [UInt8]
        var pageSize: Int { Int(log[8]) << 24 | Int(log[9]) << 16 | Int(log[10]) << 8 | Int(log[11]) }
        var frameCount: Int { (log.count - 32) / (24 + pageSize) }
        func frameOffset(_ frame: Int) -> Int { 32 + frame * (24 + pageSize) }
    }

    static func write(rows: Int = 30, restartAfter: Int? = nil) throws -> Written {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-wal")
        let path = "\(directory)/loa.sqlite"
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE schedule (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        }
        for row in 0..<rows {
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO schedule (body) VALUES (?)",
                    arguments: [String(repeating: "lịch phát thanh \(row) ", count: 40)]
                )
            }
            if row == restartAfter {
                try queue.writeWithoutTransaction { db in
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(RESTART)")
                }
            }
        }
        let log = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(path)-wal")))
        let database = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try queue.close()
        return Written(directory: directory, database: database, log: log)
    }

    /// How many rows SQLite reads from `database` with `log` beside it.
    static func rowsSQLiteReads(database: [UInt8], log: [UInt8]) throws -> Int {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-wal-read")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(database).write(to: URL(fileURLWithPath: "\(directory)/copy.sqlite"))
        try Data(log).write(to: URL(fileURLWithPath: "\(directory)/copy.sqlite-wal"))
        let queue = try DatabaseQueue(path: "\(directory)/copy.sqlite")
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM schedule") ?? 0 }
    }

    @Test func aLogSQLiteWroteIsIntact() throws {
        let written = try Self.write()
        defer { try? FileManager.default.removeItem(atPath: written.directory) }
        #expect(written.frameCount > 30)
        #expect(WriteAheadLog.check(written.log) == .intact(frames: written.frameCount, ignored: 0))
        #expect(WriteAheadLog.check(path: "\(written.directory)/absent-wal") == .absent)
        #expect(WriteAheadLog.check([]) == .absent)
    }

    @Test func aTornLastFrameIsACrashNotDamage() throws {
        let written = try Self.write()
        defer { try? FileManager.default.removeItem(atPath: written.directory) }
        var torn = written.log
        torn[written.frameOffset(written.frameCount - 1) + 24 + 100] ^= 0xff
        #expect(WriteAheadLog.check(torn) == .intact(frames: written.frameCount - 1, ignored: 1))
        // Cut short in the middle of its page: the partial frame is not even counted.
        let cut = Array(written.log.prefix(written.frameOffset(written.frameCount - 1) + 24 + 10))
        #expect(WriteAheadLog.check(cut) == .intact(frames: written.frameCount - 1, ignored: 0))
    }

    @Test func staleFramesOfAnEarlierGenerationAreNormal() throws {
        // 25 commits, a checkpoint that restarts the log, then 5 more: they overwrite its start with new salts
        // and leave the older frames after them.
        let written = try Self.write(rows: 30, restartAfter: 24)
        defer { try? FileManager.default.removeItem(atPath: written.directory) }
        guard case .intact(let frames, let ignored) = WriteAheadLog.check(written.log) else {
            Issue.record("not intact: \(WriteAheadLog.check(written.log))")
            return
        }
        #expect(frames > 0 && ignored > 0, "frames \(frames), ignored \(ignored)")
        #expect(frames + ignored == written.frameCount)
    }

    @Test func aBadFrameWithValidFramesAfterItIsDamageThatSQLiteWouldDrop() throws {
        let written = try Self.write()
        defer { try? FileManager.default.removeItem(atPath: written.directory) }
        #expect(try Self.rowsSQLiteReads(database: written.database, log: written.log) == 30)
        var damaged = written.log
        let middle = written.frameCount / 2
        for index in 0..<8 { damaged[written.frameOffset(middle) + 24 + 200 + index] ^= 0x5a }
        guard case .damaged(let problem) = WriteAheadLog.check(damaged) else {
            Issue.record("not damaged: \(WriteAheadLog.check(damaged))")
            return
        }
        #expect(problem.contains("frame \(middle + 1) of \(written.frameCount)"), "\(problem)")
        // What the check prevents: SQLite reads on without a word, and without the newest rows.
        let read = try Self.rowsSQLiteReads(database: written.database, log: damaged)
        #expect(read < 30, "SQLite read \(read) rows")
    }

    @Test func aBadHeaderOnALogWithFramesIsDamage() throws {
        let written = try Self.write()
        defer { try? FileManager.default.removeItem(atPath: written.directory) }
        var damaged = written.log
        damaged[13] ^= 0x01  // the checkpoint sequence, under the header's checksum
        #expect(WriteAheadLog.check(damaged) == .damaged(problem: "the header's checksum fails"))
        var wrongMagic = written.log
        wrongMagic[0] = 0
        #expect(WriteAheadLog.check(wrongMagic) == .damaged(problem: "the header's magic number is wrong"))
        // A bare header is an empty log, whatever it holds.
        #expect(WriteAheadLog.check(Array(damaged.prefix(32))) == .absent)
    }
}
