import ArgumentParser
import Foundation
import LoaCore
import LoaServer

/// `loa config check`: validates the gateway config and `device-configs/` without starting anything, with
/// the same messages `loa serve` refuses to start with.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the gateway's configuration.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the config file and device-configs/ (exit 0, or 78 with file:line)."
        )

        @Option(help: ArgumentHelp("The gateway config file.", valueName: "FILE")) var config: String?
        @Option(help: ArgumentHelp("The device-configs directory.", valueName: "DIR")) var deviceConfigs: String?

        func run() async throws {
            do {
                let arguments = [("config", config), ("device-configs", deviceConfigs)].compactMap { key, value in
                    value.map { ["--\(key)", $0] }
                }
                let summary = try ConfigurationCheck.run(arguments: arguments.flatMap { $0 })
                let inventory = summary.configs.inventory
                let site = summary.settings.site ?? summary.configs.site?.id ?? ServeSettings.defaultSite
                print(
                    "OK: site \(site), broker \(summary.settings.broker), \(inventory.zones.count) zones, "
                        + "\(inventory.receivers.count) receivers"
                )
                for notice in summary.configs.obsoleteFiles {
                    FileHandle.standardError.write(Data("warning: \(notice)\n".utf8))
                }
            } catch {
                throw CommandFailure(message: error.description, exitCode: Sysexits.config)
            }
        }
    }
}
