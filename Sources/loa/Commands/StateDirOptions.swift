import ArgumentParser
import LoaServer

/// Which state dir `loa backup` and `loa restore` work on: the same as `loa serve` would use, from the same
/// flag, config file and environment (`STATE_DIRECTORY` under systemd), so they need no daemon to ask.
struct StateDirOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "The daemon's state dir (default: as `loa serve`).")
    var stateDirectory: String?

    @Option(name: .customLong("config"), help: "The daemon's YAML config file, for its state-dir.")
    var config: String?

    func resolve() throws -> String {
        var arguments: [String] = []
        if let stateDirectory { arguments += ["--state-dir", stateDirectory] }
        if let config { arguments += ["--config", config] }
        do {
            return try ServeSettings.resolve(arguments: arguments).settings.stateDirectory
        } catch {
            throw CommandFailure.configuration(error)
        }
    }
}
