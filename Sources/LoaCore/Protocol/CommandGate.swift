import Foundation

/// A receiver's check on every command, in the order docs/protocol.md gives: size, envelope, signature,
/// JSON, version, site, target, age, sequence. Pure: the caller keeps the highest sequence obeyed.
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
        guard let commandText = envelope.command, let signatureText = envelope.sig,
            let commandBytes = Data(base64Encoded: commandText), let signature = Data(base64Encoded: signatureText)
        else { return .failure(.unsigned) }
        guard checker.isValidSignature(Array(signature), for: Array(commandBytes)) else {
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
        guard command.seq > lastSequence else { return .failure(.replayed) }
        return .success(command)
    }
}

extension ControlCommand {
    /// The body matches the kind.
    var isWellFormed: Bool {
        switch cmd {
        case .play: play != nil
        case .stop: stop != nil
        case .volume: volume.map { (0...100).contains($0.level) } ?? false
        }
    }
}
