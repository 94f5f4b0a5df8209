/// The MQTT payload of a command: the command's JSON bytes and their signature, both in base64, so the
/// signature covers exact bytes and no JSON canonicalisation is needed (docs/protocol.md).
public struct SignedEnvelope: Codable, Sendable, Hashable {
    public var v: Int
    /// Base64 of the command's JSON bytes.
    public var command: String?
    /// Base64 of the 64-byte Ed25519 signature over those bytes.
    public var sig: String?

    /// Encodes and signs `command`.
    public static func seal(_ command: ControlCommand, with signer: any MessageSigning) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = Array(try encoder.encode(command))
        let envelope = SignedEnvelope(
            v: TopicTree.protocolVersion,
            command: Data(bytes).base64EncodedString(),
            sig: Data(try signer.signature(for: bytes)).base64EncodedString()
        )
        return Array(try encoder.encode(envelope))
    }
}
