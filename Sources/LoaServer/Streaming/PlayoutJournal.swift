import Foundation
import LoaCore
import Synchronization

/// Appends playout journal lines (`--playout-journal FILE`): one JSON object per audio message played, for
/// measuring how closely the gateway and the receivers play in step.
final class PlayoutJournal: Sendable {
    let handle: Mutex<FileHandle>

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        _ = try handle.seekToEnd()
        self.handle = Mutex(handle)
    }

    func record(_ entry: PlayoutJournalEntry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let line = try? encoder.encode(entry) else { return }
        handle.withLock { $0.write(line + Data("\n".utf8)) }
    }
}
