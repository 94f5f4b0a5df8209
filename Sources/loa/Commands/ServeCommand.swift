import ArgumentParser
import Foundation
import LoaCore
import LoaServer
import Logging

/// `loa serve`: the controller daemon. Runs with no arguments on embedded defaults.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the controller daemon: broker link, scheduler, local audio and HTTP API.",
        discussion:
            "Every option can also be set in the YAML file given by --config, under the same name; the flag wins."
    )

    @Option(help: ArgumentHelp("A YAML config file.", valueName: "FILE"))
    var config: String?

    @Option(help: ArgumentHelp("mqtt://HOST:PORT, mqtts://HOST:PORT, or embedded (default).", valueName: "URL"))
    var broker: String?

    @Option(help: ArgumentHelp("The commune's id, part of every MQTT topic.", valueName: "ID"))
    var site: String?

    @Option(
        help: ArgumentHelp("Where state lives (default ./.loa, or $STATE_DIRECTORY under systemd).", valueName: "DIR")
    )
    var stateDir: String?

    @Option(help: ArgumentHelp("The HTTP API's address (default 127.0.0.1:8080).", valueName: "HOST:PORT"))
    var http: String?

    @Option(
        help: ArgumentHelp(
            "An ALSA PCM name, or none (default: the sound card, else a WAV file in the state dir).",
            valueName: "NAME"
        )
    )
    var audioDevice: String?

    @Option(help: ArgumentHelp("The folder of zone and receiver files (default ./device-configs).", valueName: "DIR"))
    var deviceConfigs: String?

    @Option(
        help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default info).", valueName: "LEVEL")
    )
    var logLevel: String?

    @Option(
        name: .customLong("stream-lead-ms"),
        help: ArgumentHelp("How far ahead audio is sent to receivers (default 1000).", valueName: "MS")
    )
    var streamLead: Int?

    @Option(
        help: ArgumentHelp(
            "Journal each audio message's playout on the gateway, as JSON lines (for sync measurements).",
            valueName: "FILE"
        )
    )
    var playoutJournal: String?

    func run() async throws {
        let flags = ServeFlags(
            config: config,
            broker: broker,
            site: site,
            stateDirectory: stateDir,
            http: http,
            audioDevice: audioDevice,
            deviceConfigs: deviceConfigs,
            logLevel: logLevel,
            streamLeadMilliseconds: streamLead,
            playoutJournal: playoutJournal
        )
        let checked: ConfigurationCheck.Summary
        do {
            checked = try ConfigurationCheck.run(flags: flags)
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
