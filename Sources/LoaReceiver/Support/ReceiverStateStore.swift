import LoaCore
import Synchronization

/// What a receiver keeps across restarts, in its state dir: the highest command `seq` it obeyed (so a
/// captured command cannot be replayed after a reboot) and the remote volume.
///
/// Plain text files written atomically (`last-command-seq`, `volume`), so a technician can read them and a
/// power cut mid-write leaves the old value, never a torn one. The sequence is written before the command
/// is acted on.
final class ReceiverStateStore: Sendable {
    let directory: String
    private let state: Mutex<(sequence: Int64, volume: Int)>

    static let defaultVolume = 100

    /// Opens (creating) `directory` and reads what it holds.
    init(directory: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        self.directory = directory
        func read(_ name: String) -> String? {
            FileManager.default.contents(atPath: "\(directory)/\(name)")
                .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() }
        }
        let sequence = read("last-command-seq").flatMap { Int64($0) } ?? 0
        let volume = read("volume").flatMap { Int($0) }.map { min(100, max(0, $0)) } ?? Self.defaultVolume
        state = Mutex((sequence, volume))
        // Fail now, not at the first command, if the directory cannot be written.
        try write("volume", "\(volume)")
    }

    var lastSequence: Int64 { state.withLock { $0.sequence } }
    var volume: Int { state.withLock { $0.volume } }

    /// Records an obeyed command's `seq`.
    func recordSequence(_ sequence: Int64) throws {
        try state.withLock { state in
            try write("last-command-seq", "\(sequence)")
            state.sequence = sequence
        }
    }

    func recordVolume(_ volume: Int) throws {
        try state.withLock { state in
            try write("volume", "\(volume)")
            state.volume = volume
        }
    }

    private func write(_ name: String, _ value: String) throws {
        try Data("\(value)\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name)"), options: .atomic)
    }
}
