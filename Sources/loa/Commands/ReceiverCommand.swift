import ArgumentParser
import Foundation
import LoaCore
import LoaLogging
import LoaReceiver
import Logging

/// `loa receiver`: the reference receiver a Linux loudspeaker cluster runs, or with `--simulate N` that many
/// receivers in one process for tests, demos and load.
///
/// Its settings are declared once, in ``ReceiverSettings``; this command hands the command line to it.
struct ReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver",
        abstract: "Run a receiver: obey the controller's signed commands and play its audio in step.",
        discussion: """
            --controller-key is required: a receiver obeys nothing that key did not sign.

            \(ReceiverSettings.reader.helpText)
            """
    )

    @Argument(parsing: .allUnrecognized, help: .private)
    var settings: [String] = []

    func run() async throws {
        let configuration: ReceiverConfiguration
        do {
            configuration = try ReceiverConfiguration.resolve(arguments: settings)
        } catch {
            throw CommandFailure.configuration(error)
        }
        let logger = LogSetup.bootstrap(level: configuration.logLevel, label: "loa.receiver")
        do {
            let fleet = try ReceiverFleet(configuration: configuration, logger: logger)
            try await fleet.runUntilSignalled()
        } catch let error as ReceiverStartupError {
            throw CommandFailure(message: error.description, exitCode: error.exitCode)
        } catch {
            throw CommandFailure(message: "stopped on error: \(error)", exitCode: Sysexits.unavailable)
        }
    }
}
