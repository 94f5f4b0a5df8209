import ArgumentParser
import Foundation
import LoaCore
import LoaReceiver
import Logging

/// `loa receiver`: the reference receiver a Linux loudspeaker cluster runs, or with `--simulate N` that many
/// receivers in one process for tests, demos and load.
struct ReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver",
        abstract: "Run a receiver: obey the controller's signed commands and play its audio in step.",
        discussion: """
            Every option can also be set in the YAML file given by --config, under the same name; the flag wins. \
            Broker credentials (mqtt: username, password-file, ca-file, cert-file, key-file) are only read from \
            the file. --controller-key is required: a receiver obeys nothing that key did not sign.
            """
    )

    @Option(help: ArgumentHelp("A YAML config file.", valueName: "FILE"))
    var config: String?

    @Option(help: ArgumentHelp("The controller's broker: mqtt://HOST:PORT or mqtts://HOST:PORT.", valueName: "URL"))
    var broker: String?

    @Option(help: ArgumentHelp("The commune's id, part of every MQTT topic (default local).", valueName: "ID"))
    var site: String?

    @Option(help: ArgumentHelp("This receiver's id.", valueName: "ID"))
    var id: String?

    @Option(
        help: ArgumentHelp(
            "This receiver's zone; with --simulate, zones to spread the generated receivers over (repeat or comma-separate).",
            valueName: "Z"
        )
    )
    var zone: [String] = []

    @Option(help: ArgumentHelp("An ALSA PCM name, null, or none for no output (default: default).", valueName: "NAME"))
    var audioDevice: String?

    @Option(
        help: ArgumentHelp("The controller's public key (`loa key show`), or a file holding it.", valueName: "KEY|FILE")
    )
    var controllerKey: String?

    @Option(
        help: ArgumentHelp(
            "Where the last command seq and the volume are kept (default ./.loa-receiver, or $STATE_DIRECTORY).",
            valueName: "DIR"
        )
    )
    var stateDir: String?

    @Option(help: ArgumentHelp("Seconds between telemetry reports (default 10).", valueName: "S"))
    var telemetryInterval: String?

    @Option(
        help: ArgumentHelp(
            "MQTT keepalive in seconds (default 30); the broker publishes the will after 1.5 times that.",
            valueName: "S"
        )
    )
    var keepalive: String?

    @Option(
        help: ArgumentHelp(
            "Append a JSON line per audio message played: due and presented instants.",
            valueName: "FILE"
        )
    )
    var playoutJournal: String?

    @Option(
        help: ArgumentHelp(
            "Run N receivers in this process (ids from --receivers-file, else sim-0001…).",
            valueName: "N"
        )
    )
    var simulate: String?

    @Option(
        help: ArgumentHelp(
            "With --simulate: the receivers.yaml whose first N entries to impersonate.",
            valueName: "FILE"
        )
    )
    var receiversFile: String?

    @Option(
        help: ArgumentHelp("With --simulate: write each receiver's output to DIR/<id>.wav, paced.", valueName: "DIR")
    )
    var outputDir: String?

    @Option(
        help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default info).", valueName: "LEVEL")
    )
    var logLevel: String?

    /// Test hook, not for production: loss between the broker and this receiver, for the end-to-end loss test.
    @Option(
        help: ArgumentHelp(
            "Test hook: drop this fraction (0-0.99) of the audio messages received, deterministically.",
            valueName: "FRACTION",
            visibility: .hidden
        )
    )
    var testDropAudio: String?

    @Option(
        help: ArgumentHelp(
            "Test hook: the seed of --test-drop-audio's drop sequence (default 1).",
            valueName: "N",
            visibility: .hidden
        )
    )
    var testDropSeed: String?

    func run() async throws {
        var flags = ReceiverFlags()
        flags.config = config
        flags.broker = broker
        flags.site = site
        flags.id = id
        flags.zones = zone
        flags.audioDevice = audioDevice
        flags.controllerKey = controllerKey
        flags.stateDirectory = stateDir
        flags.telemetryInterval = telemetryInterval
        flags.keepAlive = keepalive
        flags.playoutJournal = playoutJournal
        flags.simulate = simulate
        flags.receiversFile = receiversFile
        flags.outputDirectory = outputDir
        flags.logLevel = logLevel
        flags.testDropAudio = testDropAudio
        flags.testDropSeed = testDropSeed
        let configuration: ReceiverConfiguration
        do {
            configuration = try ReceiverConfiguration.resolve(flags: flags)
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
