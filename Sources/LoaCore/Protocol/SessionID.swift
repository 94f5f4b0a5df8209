/// A broadcast session's id: 8 random bytes, written `s-` and 16 hex digits in JSON (docs/protocol.md).
public struct SessionID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    public static func random() -> SessionID { SessionID(UInt64.random(in: 1...UInt64.max)) }

    public init?(text: String) {
        guard text.hasPrefix("s-"), text.count == 18, let value = UInt64(text.dropFirst(2), radix: 16) else {
            return nil
        }
        self.value = value
    }

    public var description: String {
        let hex = String(value, radix: 16)
        return "s-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = SessionID(text: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a session id (s- and 16 hex digits)"
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
