import ArgumentParser
import Foundation
import LoaCore
import LoaLogging
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
            + """


            For this one start only (never in the config file):
              --accept-lost-state
                    Start although the state dir lost its store, key or command
                    sequence: logged, audited, damaged files moved aside (never
                    deleted). Prefer `loa restore FILE`.
            """
    )

    @Argument(parsing: .allUnrecognized, help: .private)
    var settings: [String] = []

    /// Not a setting: accepting lost state is one start's decision, never a line left in a config file.
    static let acceptLostState = "--accept-lost-state"

    func run() async throws {
        let checked: ConfigurationCheck.Summary
        do {
            checked = try ConfigurationCheck.run(arguments: settings.filter { $0 != Self.acceptLostState })
        } catch {
            throw CommandFailure.configuration(error)
        }
        var settings = checked.settings
        settings.acceptLostState = self.settings.contains(Self.acceptLostState)
        let logger = LogSetup.bootstrap(level: settings.logLevel)
        do {
            try await LoaDaemon.checkSuppliedFieldCertificate(settings: settings)
            let daemon = try LoaDaemon(settings: settings, configs: checked.configs, logger: logger)
            try await daemon.run()
        } catch {
            throw CommandFailure(message: error.description, exitCode: error.exitCode)
        }
    }
}
