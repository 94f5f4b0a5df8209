import ArgumentParser
import Foundation
import LoaCore
import LoaServer
import Logging

/// `loa serve`: the controller daemon. Runs with no arguments on embedded defaults.
///
/// Its settings are declared once, in ``ServeSettings``; this command hands the command line to it, so a flag
/// and a config file line are read, checked and explained by the same code.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the controller daemon: broker link, scheduler, local audio and HTTP API.",
        discussion: ServeSettings.reader.helpText
    )

    @Argument(parsing: .allUnrecognized, help: .private)
    var settings: [String] = []

    func run() async throws {
        let checked: ConfigurationCheck.Summary
        do {
            checked = try ConfigurationCheck.run(arguments: settings)
        } catch {
            throw CommandFailure.configuration(error)
        }
        let settings = checked.settings
        let logger = LogSetup.bootstrap(level: settings.logLevel)
        do {
            let daemon = try LoaDaemon(settings: settings, configs: checked.configs, logger: logger)
            try await daemon.run()
        } catch {
            throw CommandFailure(message: error.description, exitCode: error.exitCode)
        }
    }
}
