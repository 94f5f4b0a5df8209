import ArgumentParser
import Foundation

/// `loa`: the controller daemon, the reference receiver and the operator's CLI, in one executable.
@main
struct LoaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa",
        abstract: "Loa: schedule, stream and monitor a commune's smart-radio loudspeakers.",
        subcommands: [
            ServeCommand.self, ScheduleCommand.self, AnnounceCommand.self, LogCommand.self, HealthCommand.self,
            LiveCommand.self, StopCommand.self, VolumeCommand.self, KeyCommand.self, CACommand.self, BrokerCommand.self,
            AssetsCommand.self,
            AudioCommand.self,
            ConfigCommand.self, BackupCommand.self, RestoreCommand.self,
            ReceiverCommand.self, ReceiversCommand.self, ConformanceCommand.self,
            UsersCommand.self, TokensCommand.self, AuditCommand.self,
            LoginCommand.self, LogoutCommand.self,
            VersionCommand.self,
        ]
    )

    /// Runs the chosen subcommand, turning a `CommandFailure` into its one-line message and sysexits code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            failure.exit()
        } catch {
            // Usage errors get one line naming the problem, not the whole usage text.
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            CommandFailure(message: message(for: error), exitCode: code.rawValue).exit()
        }
    }
}
