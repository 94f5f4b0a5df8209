/// The retained payload on an availability topic (controller or receiver): birth says `online`, the last
/// will says `offline`. JSON so fields can be added without breaking older readers (docs/protocol.md).
public struct AvailabilityStatus: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable {
        case online
        case offline
    }

    /// Protocol version of the sender.
    public var v: Int
    public var state: State
    /// Software version of the sender, for the technician.
    public var version: String?
    /// A random word the sender draws at start: two instances alternating on one id are two devices sharing it.
    public var instance: String?

    public init(state: State, version: String? = nil, instance: String? = nil) {
        self.v = TopicTree.protocolVersion
        self.state = state
        self.version = version
        self.instance = instance
    }

    /// A fresh `instance`: 16 lowercase hex digits.
    public static func newInstance() -> String {
        Data.random(count: 8).hexString
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of strings and ints cannot fail.
        return Array((try? encoder.encode(self)) ?? Data())
    }

    public init(decoding payload: [UInt8]) throws {
        self = try NetworkJSON.decode(AvailabilityStatus.self, from: payload)
    }
}
