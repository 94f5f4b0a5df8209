import ArgumentParser
import Foundation
import LoaServer

/// `loa restore FILE`: a backup in place of the state dir, the current one moved aside (``StateRestore``).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore the state dir from a `loa backup` archive (the daemon must be stopped).",
        discussion: """
            The archive is checked whole first; the current state dir is moved aside to \
            DIR.before-restore-TIMESTAMP, never deleted. On its next start the daemon moves its command sequence \
            past what receivers report, so commands are not refused as replayed.
            """
    )

    @Argument(help: "The archive `loa backup` wrote.")
    var file: String

    @OptionGroup var state: StateDirOptions

    func run() async throws {
        let directory = try state.resolve()
        let outcome: StateRestore.Outcome
        do {
            outcome = try StateRestore.restore(file: file, stateDirectory: directory)
        } catch {
            throw CommandFailure(message: error.description, exitCode: error.exitCode)
        }
        let made = ISO8601DateFormatter().string(from: outcome.manifest.createdAt)
        print("restored \(file) (made \(made) by loa \(outcome.manifest.loaVersion)) into \(directory)")
        if let previous = outcome.previous { print("the state dir it replaced is in \(previous)") }
    }
}
