import Foundation

/// The embedded broker could not be started; `output` is what the child printed, for the operator.
public struct MosquittoBrokerError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// The child's stdout and stderr since this start (at most the last 4 KB).
    public let output: String

    /// The port was taken (an automatically picked one can be, by a race), so another port may help.
    public let portInUse: Bool

    public init(message: String, output: String, portInUse: Bool = false) {
        self.message = message
        self.output = output
        self.portInUse = portInUse || output.contains("Address already in use")
    }

    public var description: String {
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? message : "\(message); mosquitto said: \(trimmed)"
    }
}
