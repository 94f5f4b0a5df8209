import Foundation
import LoaCore
import Synchronization

/// The controller's command sequence number, kept in the state dir so it grows across restarts (receivers
/// reject a number they have seen). Written before the command is sent, so a crash never reuses one.
public final class CommandSequence: CommandSequencing, Sendable {
    let path: String
    let last: Mutex<Int64>

    public init(path: String) throws {
        self.path = path
        let stored = FileManager.default.contents(atPath: path).flatMap {
            Int64(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        last = Mutex(stored ?? 0)
    }

    /// The next number, persisted.
    public func next() throws -> Int64 {
        try last.withLock { last in
            let next = last + 1
            try Data("\(next)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            last = next
            return next
        }
    }
}
