import ArgumentParser
import Foundation
import LoaServer

/// `loa backup FILE`: the state dir in one archive, while the daemon runs or not (``StateBackup``).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the state dir (store, key, sequence, assets) into one tar archive.",
        discussion: "Safe while `loa serve` runs: the store is copied through SQLite's online backup."
    )

    @Argument(help: "The archive to write (replaced whole if it exists).")
    var file: String

    @OptionGroup var state: StateDirOptions

    func run() async throws {
        let directory = try state.resolve()
        let manifest: BackupManifest
        do {
            manifest = try StateBackup.create(stateDirectory: directory, file: file)
        } catch {
            throw CommandFailure(message: error.description, exitCode: error.exitCode)
        }
        print(
            "backed up \(directory) to \(file): \(manifest.files.count) files, schema \(manifest.schema.last ?? "-"), key \(manifest.publicKey)"
        )
    }
}
