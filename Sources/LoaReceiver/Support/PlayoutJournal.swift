import LoaCore
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The playout journal (`--playout-journal FILE`), one for the gateway and the receivers: one JSON line per
/// audio message played, with when it was due and when its first sample actually went out. Tests and the
/// benchmarks read it to measure how closely receivers and the gateway play in step. Appends, so several
/// receivers (or restarts) can share a file.
///
/// ```json
/// {"due":1764385200000000,"player":"rx-dong-01","presented":1764385200000213,"sequence":0,"session":"s-2f9c01aa00000000"}
/// ```
///
/// A write that fails (a full disk) never stops playout and never traps: it is counted, logged (the first
/// one, then every hundredth) and shown in `/metrics`, and the next line is tried again.
public final class PlayoutJournal: Sendable {
    public let path: String
    private let state: Mutex<State>
    private let logger: Logger

    private struct State {
        var descriptor: Int32
        var failedWrites = 0
    }

    /// Opens `path` for appending, creating it (and not its directory) if needed.
    public init(path: String, logger: Logger = Logger(label: "loa.journal")) throws(JournalError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw JournalError(path: path, code: errno) }
        self.path = path
        self.logger = logger
        self.state = Mutex(State(descriptor: descriptor))
    }

    /// Lines that could not be written since the journal was opened.
    public var failedWrites: Int { state.withLock { $0.failedWrites } }

    public func append(_ entry: PlayoutJournalEntry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var line = try? encoder.encode(entry) else { return }
        line.append(0x0A)
        let failure: (count: Int, error: any Error)? = state.withLock { state in
            // One write(2) of the whole line: with O_APPEND, lines from several receivers never interleave.
            let written = line.withUnsafeBytes { write(state.descriptor, $0.baseAddress, $0.count) }
            guard written != line.count else { return nil }
            state.failedWrites += 1
            return (state.failedWrites, JournalError(path: path, code: written < 0 ? errno : EIO))
        }
        if let failure, failure.count == 1 || failure.count % 100 == 0 {
            logger.error(
                "journal.write-failed",
                metadata: [
                    "journal.path": "\(path)", "journal.failures": "\(failure.count)", "error": "\(failure.error)",
                ]
            )
        }
    }

    public func close() {
        state.withLock { state in
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }
}

/// A playout journal that cannot be opened or written, with the system's reason.
public struct JournalError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let code: Int32

    public var description: String { "playout journal '\(path)': \(String(cString: strerror(code)))" }
}
