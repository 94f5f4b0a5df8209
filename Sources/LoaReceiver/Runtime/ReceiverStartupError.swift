/// A reason a receiver cannot start, with the sysexits code the CLI exits with (69 unavailable, 78 config).
public struct ReceiverStartupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let exitCode: Int32

    public init(description: String, exitCode: Int32) {
        self.description = description
        self.exitCode = exitCode
    }
}
