/// Why a receiver refused a command; reported in a `command.rejected` event (docs/protocol.md).
public enum CommandRejection: String, Error, Sendable, Codable, Hashable, CaseIterable {
    case unsigned
    case badSignature = "bad-signature"
    case stale
    case replayed
    case malformed
    case wrongTarget = "wrong-target"
    case wrongSite = "wrong-site"
    case tooLarge = "too-large"
}
