import LoaCore

/// Signs and publishes the controller's commands to receivers (`play`, `stop`, `volume`): the one place that
/// numbers, timestamps, signs and sends them, for the streamer and for the operators' volume changes alike.
struct CommandPublisher: Sendable {
    let bus: any MessageBus
    let topics: TopicTree
    let signer: any MessageSigning
    let sequence: any CommandSequencing
    let clock: any WallClock
    /// What was sent lately, so a command a restored sequence got refused can be sent again (``resend(_:)``).
    let sent = SentCommands()

    /// Sends a `play`, and returns its `seq`. `numbered` is told the `seq` before the command goes out: a
    /// receiver's rejection names only that, and may come back before `publish` returns.
    @discardableResult
    func play(
        _ play: ControlCommand.Play,
        to channel: TopicTree.Channel,
        numbered: (Int64) -> Void = { _ in }
    ) throws(CommandPublishError) -> Int64 {
        try send(to: channel) { seq, ts in
            numbered(seq)
            return ControlCommand(site: topics.site, to: channel, seq: seq, ts: ts, play: play)
        }
    }

    func stop(_ stop: ControlCommand.Stop, to channel: TopicTree.Channel) throws(CommandPublishError) {
        _ = try send(to: channel) { seq, ts in
            ControlCommand(site: topics.site, to: channel, seq: seq, ts: ts, stop: stop)
        }
    }

    func volume(_ volume: ControlCommand.Volume, to channel: TopicTree.Channel) throws(CommandPublishError) {
        _ = try send(to: channel) { seq, ts in
            ControlCommand(site: topics.site, to: channel, seq: seq, ts: ts, volume: volume)
        }
    }

    /// Sends a command again with a fresh number and time, once: a receiver rejected it as replayed because
    /// its number was behind what that receiver had obeyed (a restored backup's sequence).
    func resend(_ entry: SentCommands.Entry) throws(CommandPublishError) {
        _ = try send(to: entry.channel, resent: true) { seq, ts in
            var command = entry.command
            command.seq = seq
            command.ts = ts
            return command
        }
    }

    /// Numbers, signs and publishes one command at QoS 1, returning its `seq`; each step's failure is reported
    /// as that step's.
    private func send(
        to channel: TopicTree.Channel,
        resent: Bool = false,
        _ command: (_ seq: Int64, _ ts: Int64) -> ControlCommand
    ) throws(CommandPublishError) -> Int64 {
        let seq: Int64
        do { seq = try sequence.next() } catch { throw CommandPublishError(.sequence, channel: channel, error) }
        let payload: [UInt8]
        let built = command(seq, clock.nowMicroseconds())
        do {
            payload = try SignedEnvelope.seal(built, with: signer)
        } catch {
            throw CommandPublishError(.signing, channel: channel, error)
        }
        // Before it goes out: a receiver's rejection of it may come back before `publish` returns.
        sent.record(built, channel: channel, resent: resent)
        do {
            try bus.publish(BusMessage(topic: topics.commands(channel), payload: payload, delivery: .atLeastOnce))
        } catch {
            throw CommandPublishError(.broker, channel: channel, error)
        }
        return seq
    }
}

/// A command that did not go out, and the step that failed, so that an operator is told "the broker refused
/// it" rather than "the store failed".
struct CommandPublishError: Error, CustomStringConvertible {
    enum Step: Sendable {
        /// The next sequence number could not be saved in the state directory.
        case sequence
        /// The command could not be encoded or signed.
        case signing
        /// The broker link refused the message.
        case broker
    }

    let step: Step
    let channel: TopicTree.Channel
    let cause: String

    init(_ step: Step, channel: TopicTree.Channel, _ cause: any Error) {
        self.step = step
        self.channel = channel
        self.cause = "\(cause)"
    }

    var description: String {
        switch step {
        case .sequence:
            "the command sequence number for \(channel) could not be saved in the state directory: \(cause)"
        case .signing: "the command for \(channel) could not be signed: \(cause)"
        case .broker: "the broker did not take the command for \(channel): \(cause)"
        }
    }
}
