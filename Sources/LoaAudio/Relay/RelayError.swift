/// Why a relayed stream could not be opened or read: the stream's address (without credentials), what was being
/// done, and FFmpeg's message with its code (nil for Loa's own reasons, such as a stall).
public struct RelayError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The stream's URL with any `user:password@` removed.
    public let url: String
    public let operation: String
    public let message: String
    /// FFmpeg's error code (`AVERROR(…)`, negative), when FFmpeg reported the failure.
    public let code: Int32?

    public init(url: String, operation: String, message: String, code: Int32? = nil) {
        self.url = url
        self.operation = operation
        self.message = message
        self.code = code
    }

    public var description: String { "cannot \(operation) \(url): \(message)" }
}
