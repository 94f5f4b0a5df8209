/// A receiver's check on every command, in the order docs/protocol.md gives: size (`too-large`), envelope
/// (`malformed`, `unsigned`), signature (`bad-signature`), command JSON and version (`malformed`), site,
/// target, age, sequence. Pure: the caller keeps the highest sequence obeyed.
public struct CommandGate: Sendable {
    public static let maximumSize = 4096
    /// How far a command's timestamp may be from the receiver's clock.
    public static let maximumSkewMicroseconds: Int64 = 30_000_000

    public let site: String
    public let checker: any SignatureChecking

    public init(site: String, checker: any SignatureChecking) {
        self.site = site
        self.checker = checker
    }

    /// The command if every check passes.
    /// - Parameters:
    ///   - channel: the command topic's tail it arrived on.
    ///   - lastSequence: the highest `seq` this receiver has obeyed.
    public func admit(
        _ payload: [UInt8],
        channel: String,
        now: Int64,
        lastSequence: Int64
    ) -> Result<ControlCommand, CommandRejection> {
        guard payload.count <= Self.maximumSize else { return .failure(.tooLarge) }
        guard let envelope = try? NetworkJSON.decode(SignedEnvelope.self, from: payload) else {
            return .failure(.malformed)
        }
        guard let commandText = envelope.command, let signatureText = envelope.sig else {
            return .failure(.unsigned)
        }
        // Signed, but not in a form that can be checked (not base64): a bad signature, not a missing one
        // (protocol v1 draft 10).
        guard let commandBytes = Data(base64Encoded: commandText), let signature = Data(base64Encoded: signatureText),
            checker.isValidSignature(Array(signature), for: Array(commandBytes))
        else {
            return .failure(.badSignature)
        }
        guard let command = try? NetworkJSON.decode(ControlCommand.self, from: commandBytes),
            command.v == TopicTree.protocolVersion, command.isWellFormed
        else { return .failure(.malformed) }
        guard command.site == site else { return .failure(.wrongSite) }
        guard command.to == channel else { return .failure(.wrongTarget) }
        // `ts` is any Int64 a signed command carries: `ts - now` can overflow, which would trap (found by the fuzzer).
        let (age, overflowed) = command.ts.subtractingReportingOverflow(now)
        guard !overflowed, age.magnitude <= Self.maximumSkewMicroseconds.magnitude else { return .failure(.stale) }
        // Its age is known good now, so `start` can be judged against the receiver's own clock.
        guard command.play?.startsNear(now) ?? true else { return .failure(.malformed) }
        guard command.seq > lastSequence else { return .failure(.replayed) }
        return .success(command)
    }
}

extension ControlCommand {
    /// The body matches the kind.
    var isWellFormed: Bool {
        switch cmd {
        case .play: play?.isWithinBounds ?? false
        case .stop: stop != nil
        case .volume: volume.map { (0...100).contains($0.level) } ?? false
        }
    }
}

extension ControlCommand.Play {
    /// How far from the receiver's clock a session may start, and the longest it may last: a day each.
    static let dayMicroseconds: Int64 = 86_400_000_000

    /// Values a receiver can compute with: at most a day long, a codec in range, a volume of 0-100. Anything
    /// else is `malformed`, even signed: the end a receiver computes from `start` and `durationMs` must not
    /// overflow.
    var isWithinBounds: Bool {
        (durationMs.map { (0...86_400_000).contains($0) } ?? true)
            && (8_000...192_000).contains(codec.rate) && (1...120).contains(codec.frameMs)
            && (1...2).contains(codec.channels) && (volume.map { (0...100).contains($0) } ?? true)
    }

    /// Whether it starts within a day of `now`.
    func startsNear(_ now: Int64) -> Bool {
        let (offset, overflowed) = start.subtractingReportingOverflow(now)
        return !overflowed && offset.magnitude <= Self.dayMicroseconds.magnitude
    }
}
