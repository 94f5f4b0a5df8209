/// One rotation of the controller's signing key (protocol v1 draft 7, "KeyRotation"): the key it replaces and
/// the new one, for one site. Signed by the key it replaces, so only the holder of the trusted key can name its
/// successor.
public struct KeyRotation: Codable, Sendable, Hashable {
    public var v: Int
    public var site: String
    /// The controller's rotation count: 1 for its first rotation. A receiver never goes back to a lower one.
    public var seq: Int64
    /// The controller's wall clock, µs; informational (a receiver may come back months later).
    public var ts: Int64
    /// Base64 of the 32-byte public key this rotation replaces.
    public var previous: String
    /// Base64 of the new 32-byte public key.
    public var key: String

    public init(site: String, seq: Int64, ts: Int64, previous: [UInt8], key: [UInt8]) {
        self.v = TopicTree.protocolVersion
        self.site = site
        self.seq = seq
        self.ts = ts
        self.previous = Data(previous).base64EncodedString()
        self.key = Data(key).base64EncodedString()
    }

    /// The new key's 32 bytes, nil when `key` is not base64 of 32 bytes.
    public var newKey: [UInt8]? { Self.keyBytes(key) }
    /// The replaced key's 32 bytes.
    public var previousKey: [UInt8]? { Self.keyBytes(previous) }

    static func keyBytes(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text), data.count == 32 else { return nil }
        return Array(data)
    }
}
