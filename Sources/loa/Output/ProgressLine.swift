import Foundation
import Synchronization

/// The progress of a long step on stderr, for the operator waiting on it: rewritten in place on a terminal,
/// and one line per tenth otherwise, so a log (or a test) sees every step without a flood.
final class ProgressLine: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lastShown = Mutex<String?>(nil)

    /// Shows `what` (`uploading programme.mp3`) at `fraction` (0-1).
    func show(_ what: String, fraction: Double) {
        let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        let key = isTerminal ? "\(what) \(percent)" : "\(what) \(percent / 10)"
        let changed = lastShown.withLock { last in
            defer { last = key }
            return last != key
        }
        guard changed else { return }
        let line = "loa: \(what): \(percent)%"
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    /// Ends the line on a terminal, so what follows starts on a line of its own.
    func finish() {
        if isTerminal, lastShown.withLock({ $0 }) != nil { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
