import LoaCore
import Synchronization

/// The commands sent in the last half minute (a command's freshness window), by `seq`, and which receivers
/// obeyed each: what a receiver that rejects one as `replayed` is sent again, once, with a fresh number.
final class SentCommands: Sendable {
    struct Entry: Sendable {
        let command: ControlCommand
        let channel: TopicTree.Channel
        /// Wall-clock µs when it was sent.
        let sentAt: Int64
        var acceptedBy: Set<String> = []
        /// A command sent again is not sent a third time, nor is its original.
        var resent: Bool
    }

    /// How long a command may still be sent again: receivers refuse one older than this anyway.
    static let window: Int64 = 30_000_000
    private let entries = Mutex<[Int64: Entry]>([:])

    func record(_ command: ControlCommand, channel: TopicTree.Channel, resent: Bool) {
        entries.withLock { entries in
            entries[command.seq] = Entry(command: command, channel: channel, sentAt: command.ts, resent: resent)
            entries = entries.filter { command.ts - $0.value.sentAt <= Self.window }
        }
    }

    func accepted(_ seq: Int64, by receiver: String) {
        entries.withLock { entries in _ = entries[seq]?.acceptedBy.insert(receiver) }
    }

    /// The command `receiver` rejected as replayed, if it is to be sent again: sent by this daemon within the
    /// window, not obeyed by that receiver (a replay of a command it obeyed is an attack, not a restore),
    /// not sent again already, and not overtaken by a later command it would undo. Marks it as sent again.
    func takeForResending(_ seq: Int64, rejectedBy receiver: String, now: Int64) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[seq], !entry.resent, !entry.acceptedBy.contains(receiver),
                now - entry.sentAt <= Self.window,
                !entries.values.contains(where: {
                    $0.command.seq > seq && Self.undoes(entry.command.cmd, $0.command.cmd)
                })
            else { return nil }
            entries[seq]?.resent = true
            return entry
        }
    }

    /// Whether sending `earlier` again would undo `later`: a stop would cut a broadcast started since, a
    /// volume would override a newer level, a play would come back after its stop. (Any channel: the check
    /// is on the safe side.)
    static func undoes(_ earlier: ControlCommand.Kind, _ later: ControlCommand.Kind) -> Bool {
        switch earlier {
        case .stop: later == .play
        case .volume: later == .volume
        case .play: later == .stop
        }
    }
}
