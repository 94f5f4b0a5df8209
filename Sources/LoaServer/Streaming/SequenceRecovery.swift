import Foundation
import LoaCore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the command sequence ahead of every receiver. A restored backup (or an accepted lost `command.seq`)
/// puts the sequence behind the numbers receivers have obeyed, and they would refuse every command as
/// replayed, the stop button included. Receivers report the highest `seq` they obeyed (`lastSeq`, in their
/// telemetry and in a `replayed` rejection): the sequence is moved past it, and a command refused as replayed
/// that this daemon sent moments ago is sent again, once, with a fresh number.
///
/// The message path only reads; moving the sequence writes a file and waits for the disk, so it is done by
/// this service's own task.
final class SequenceRecovery: Service, InboundConsumer, Sendable {
    enum Work: Sendable {
        case advance(past: Int64, receiver: String)
        case resend(SentCommands.Entry, lastSeq: Int64, receiver: String)
    }

    let topics: TopicTree
    let commands: CommandPublisher
    let logger: Logger
    let clock: any WallClock
    /// The highest `lastSeq` already acted on, so telemetry that says nothing new costs no write.
    let highestReported = Mutex<Int64>(0)
    let work: AsyncStream<Work>
    let continuation: AsyncStream<Work>.Continuation

    init(topics: TopicTree, commands: CommandPublisher, logger: Logger) {
        self.topics = topics
        self.commands = commands
        self.logger = logger
        self.clock = commands.clock
        (work, continuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingNewest(1_024))
    }

    var subscription: TopicFilter { topics.allReceiversFilter }

    func receive(_ message: BusMessage) {
        guard let route = ReceiverMessageReader.route(message.topic, topics: topics),
            route.kind == "telemetry" || route.kind == "events",
            case .success((let input, _)) = ReceiverMessageReader.read(
                kind: route.kind,
                payload: message.payload,
                retained: message.retain
            )
        else { return }
        let receiver = route.receiver
        switch input {
        case .telemetry(let telemetry):
            if let lastSeq = telemetry.lastSeq { advance(past: lastSeq, receiver: receiver) }
        case .event(let event) where event.kind == .commandAccepted:
            if let seq = event.seq { commands.sent.accepted(seq, by: receiver) }
        case .event(let event)
        where event.kind == .commandRejected && event.reason == CommandRejection.replayed.rawValue:
            guard let seq = event.seq else { return }
            let lastSeq = max(event.lastSeq ?? seq, seq)
            if let entry = commands.sent.takeForResending(seq, rejectedBy: receiver, now: clock.nowMicroseconds()) {
                highestReported.withLock { $0 = max($0, lastSeq) }
                continuation.yield(.resend(entry, lastSeq: lastSeq, receiver: receiver))
            } else if let reported = event.lastSeq {
                advance(past: reported, receiver: receiver)
            }
        default:
            return
        }
    }

    private func advance(past lastSeq: Int64, receiver: String) {
        let isNew = highestReported.withLock { highest in
            defer { highest = max(highest, lastSeq) }
            return lastSeq > highest
        }
        if isNew { continuation.yield(.advance(past: lastSeq, receiver: receiver)) }
    }

    func run() async {
        await withGracefulShutdownHandler {
            for await item in work { handle(item) }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    func handle(_ item: Work) {
        switch item {
        case .advance(let lastSeq, let receiver):
            advanceSequence(past: lastSeq, receiver: receiver)
        case .resend(let entry, let lastSeq, let receiver):
            advanceSequence(past: lastSeq, receiver: receiver)
            do {
                try commands.resend(entry)
                logger.notice(
                    "command.resent",
                    metadata: [
                        "command.cmd": "\(entry.command.cmd.rawValue)", "command.seq": "\(entry.command.seq)",
                        "receiver.id": "\(receiver)", "reason": "replayed",
                    ]
                )
            } catch {
                logger.error(
                    "command.resend-failed",
                    metadata: [
                        "command.seq": "\(entry.command.seq)", "receiver.id": "\(receiver)", "error": "\(error)",
                    ]
                )
            }
        }
    }

    private func advanceSequence(past lastSeq: Int64, receiver: String) {
        do {
            guard let from = try commands.sequence.advance(past: lastSeq) else { return }
            logger.warning(
                "command.sequence-advanced",
                metadata: [
                    "command.seq.from": "\(from)", "command.seq.to": "\(lastSeq)", "receiver.id": "\(receiver)",
                    "reason": "a receiver has obeyed numbers this sequence had not reached (a restored backup?)",
                ]
            )
        } catch {
            logger.error(
                "command.sequence-advance-failed",
                metadata: [
                    "command.seq.to": "\(lastSeq)", "error": "\(error)", "fix": "check that the state dir is writable",
                ]
            )
        }
    }
}
