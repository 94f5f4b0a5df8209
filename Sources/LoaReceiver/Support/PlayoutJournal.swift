import Foundation
import LoaCore
import Synchronization

/// The playout journal (`--playout-journal FILE`): one JSON line per audio message played, with when it was
/// due and when its first sample actually went out. Tests and the benchmark read it to measure how closely
/// receivers and the gateway play in step. Appends, so several receivers (or restarts) can share a file.
///
/// ```json
/// {"due":1764385200000000,"player":"rx-dong-01","presented":1764385200000213,"sequence":0,"session":"s-2f9c01aa00000000"}
/// ```
final class PlayoutJournal: Sendable {
    let path: String
    private let handle: Mutex<FileHandle>

    /// Opens `path` for appending, creating it (and not its directory) if needed.
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.path = path
        self.handle = Mutex(handle)
    }

    func append(_ entry: PlayoutJournalEntry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var line = try? encoder.encode(entry) else { return }
        line.append(0x0A)
        handle.withLock { try? $0.write(contentsOf: line) }
    }

    func close() {
        handle.withLock { try? $0.close() }
    }
}
