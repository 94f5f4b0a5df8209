import ArgumentParser
import LoaCore

/// `loa volume (--receivers …|--zones …|--all) LEVEL`: set receivers' volume remotely (a signed command).
struct VolumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "volume", abstract: "Set receivers' volume, 0-100.")

    @Argument(help: "The volume, 0-100.") var level: Int
    @OptionGroup var targets: TargetOptions
    @OptionGroup var options: OperatorOptions

    func validate() throws {
        guard (0...100).contains(level) else { throw ValidationError("volume \(level) must be 0-100") }
    }

    func run() async throws {
        _ = try await options.daemon.controlClient.raw(
            "POST",
            "api/v1/volume",
            body: VolumeRequest(targets: targets.targets, level: level),
            user: options.user
        )
        print("Volume \(level) sent to \(targets.targets.summary).")
    }
}
