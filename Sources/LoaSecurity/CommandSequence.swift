import Foundation
import LoaCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The controller's command sequence number, kept in the state dir so it grows across restarts (receivers
/// reject a number they have seen). Written before the command is sent, so a crash never reuses one.
///
/// The file holds one fixed-width record, overwritten in place: a new number needs no new disk block, so a
/// full disk cannot stop a command (an emergency's `play` above all), and a 21-byte write within one sector
/// is all or nothing.
public final class CommandSequence: CommandSequencing, Sendable {
    let path: String
    let last: Mutex<Int64>

    /// The record's width: 20 digits, zero-padded, and a newline.
    static let recordLength = 21

    public init(path: String) throws {
        self.path = path
        let stored = FileManager.default.contents(atPath: path).flatMap {
            Int64(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        last = Mutex(stored ?? 0)
        // A missing file, or one from before the fixed-width record, is written whole once now, while the
        // disk is likely to have room; every later number overwrites it in place.
        if FileManager.default.contents(atPath: path)?.count != Self.recordLength {
            try Self.record(stored ?? 0).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }

    /// The next number, persisted.
    public func next() throws -> Int64 {
        try last.withLock { last in
            let next = last + 1
            try Self.overwrite(path, with: Self.record(next))
            last = next
            return next
        }
    }

    /// Moves the sequence past `seen`, persisted; the last number before, or nil when it was past already.
    public func advance(past seen: Int64) throws -> Int64? {
        try last.withLock { last in
            guard seen > last else { return nil }
            try Self.overwrite(path, with: Self.record(seen))
            defer { last = seen }
            return last
        }
    }

    /// The number stored at `path`, or nil when the file holds anything but one (a garbled record).
    public static func stored(at path: String) -> Int64? {
        FileManager.default.contents(atPath: path).flatMap {
            Int64(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }.flatMap { $0 >= 0 ? $0 : nil }
    }

    static func record(_ number: Int64) -> Data {
        let digits = String(number)
        return Data((String(repeating: "0", count: max(0, recordLength - 1 - digits.count)) + digits + "\n").utf8)
    }

    /// Writes `record` over the start of the file and waits until it is on the disk.
    static func overwrite(_ path: String, with record: Data) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        let written = record.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == record.count, fsync(descriptor) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }
}
