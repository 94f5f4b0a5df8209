import Foundation

/// The embedded broker could not be started; `output` is what the child printed, for the operator.
public struct MosquittoBrokerError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// The child's stdout and stderr since this start (at most the last 4 KB).
    public let output: String

    public init(message: String, output: String) {
        self.message = message
        self.output = output
    }

    /// mosquitto's text when the port is taken (an automatically picked port can be, by a race).
    var addressInUse: Bool { output.contains("Address already in use") }

    public var description: String {
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? message : "\(message); mosquitto said: \(trimmed)"
    }
}
