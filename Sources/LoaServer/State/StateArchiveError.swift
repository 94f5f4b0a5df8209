import LoaCore

/// A backup or restore that cannot go on: what is wrong, how to fix it, and the sysexits code.
public struct StateArchiveError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let exitCode: Int32

    init(_ description: String, exitCode: Int32 = Sysexits.ioError) {
        self.description = description
        self.exitCode = exitCode
    }
}
