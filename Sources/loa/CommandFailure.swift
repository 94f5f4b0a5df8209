import ArgumentParser
import Foundation
import LoaCore

/// A command that cannot go on: one line on stderr naming the problem, and a sysexits code
/// (64 usage, 65 data, 66 lost state, 69 unavailable, 74 I/O, 75 busy, 77 no permission, 78 config).
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    var description: String { message }

    static func configuration(_ error: ConfigurationError) -> CommandFailure {
        CommandFailure(
            message: error.description,
            exitCode: error.origin == .commandLine ? Sysexits.usage : Sysexits.config
        )
    }
}

extension CommandFailure {
    /// Prints the message and exits; ArgumentParser would otherwise print it with its own exit code.
    func exit() -> Never {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("loa: \(line)\n".utf8))
        Foundation.exit(exitCode)
    }
}
