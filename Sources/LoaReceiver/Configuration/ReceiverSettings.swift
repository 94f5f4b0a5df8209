import LoaConfiguration
import LoaCore
import Logging

/// Every setting of `loa receiver`, declared once: a flag wins over the config file, which wins over the
/// environment (systemd's `STATE_DIRECTORY`) and the defaults. ``ReceiverConfiguration`` turns the settings
/// that depend on each other (who to be, where the audio goes, whose commands to obey) into what the
/// receivers run with.
///
/// **Adding a setting:** add its property here with its default, and one ``Setting`` to ``declarations``;
/// the flag, the config file key, `--help` and the error messages all follow, and the runtime reads it as
/// `configuration.name`. Then document it in `docs/configuration.md`.
public struct ReceiverSettings: Sendable {
    /// The controller's broker; required, a receiver never runs one.
    public var broker: BrokerAddress?
    public var site = ReceiverConfiguration.defaultSite
    public var id: String?
    /// One zone, or several (repeated or comma-separated) for `--simulate`.
    public var zones: [String] = []
    public var audioDevice: String?
    /// The controller's public key, or a file holding it; checked by ``ReceiverConfiguration``.
    public var controllerKey: String?
    /// Holds the last obeyed command `seq` and the volume; one subdirectory per receiver when simulating.
    public var stateDirectory = ""
    public var telemetryInterval: Duration = .seconds(10)
    public var keepAlive: Duration = .seconds(30)
    /// JSON lines, one per audio message played (see ``PlayoutJournal``).
    public var playoutJournal: String?
    public var simulate: Int?
    public var receiversFile: String?
    public var outputDirectory: String?
    public var logLevel = Logger.Level.info
    /// Test hook: the fraction of audio messages dropped on arrival.
    public var audioDropFraction = 0.0
    public var audioDropSeed: UInt64 = 1
    /// Test hook: a deliberate protocol fault, for the conformance kit's tests.
    public var fault: ReceiverFault?
    /// Simulation and tests only: how far this receiver's wall clock is put off true time, µs.
    public var simulatedClockOffsetMicroseconds: Int64 = 0
    public var credentials = BrokerCredentials()
    /// An enrollment file (`loa receivers enroll`): the broker, its CA, the account, who to be and whose
    /// commands to obey, in one. A flag or config key given as well wins over it.
    public var enrollment: String?

    public init() {}

    /// Every setting of `loa receiver`, in the order `--help` and the docs list them.
    static var declarations: [Setting<ReceiverSettings>] {
        [
            Setting(
                "broker",
                \.broker,
                valueName: "URL",
                help: "The controller's broker: mqtt://HOST:PORT or mqtts://HOST:PORT."
            ) { value, _ throws(ConfigurationError) in
                let broker = try BrokerAddress(parsing: value.text)
                if case .embedded = broker {
                    throw ConfigurationError(
                        key: "broker",
                        value: value.text,
                        problem: "must be the controller's broker, mqtt://HOST:PORT or mqtts://HOST:PORT"
                    )
                }
                return broker
            },
            Setting(
                "enrollment",
                \.enrollment,
                valueName: "FILE",
                help:
                    "The enrollment `loa receivers enroll` wrote (JSON, or its loa-enroll: line): broker, CA, "
                    + "account, site, id, zone and controller key in one."
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "site",
                \.site,
                valueName: "ID",
                help: "The commune's id, part of every MQTT topic (default local)."
            ) { value, _ throws(ConfigurationError) in
                _ = try TopicTree(site: value.text)
                return value.text
            },
            Setting("id", \.id, valueName: "ID", help: "This receiver's id.") { value, _ in value.text },
            Setting(
                "zone",
                \.zones,
                valueName: "Z",
                help: "This receiver's zone; with --simulate, zones to spread them over (repeat or comma-separate).",
                kind: .list
            ) { value, _ in
                value.texts.flatMap { $0.split(separator: ",") }.map { String($0).trimmingWhitespace() }
                    .filter { !$0.isEmpty }
            },
            Setting(
                "audio-device",
                \.audioDevice,
                valueName: "NAME",
                help: "An ALSA PCM name, null, or none for no output (default: default)."
            ) { value, _ in value.text },
            Setting(
                "controller-key",
                \.controllerKey,
                valueName: "KEY|FILE",
                help: "The controller's public key (`loa key show`), or a file holding it. Required."
            ) { value, _ in value.text },
            Setting(
                "state-dir",
                \.stateDirectory,
                valueName: "DIR",
                help:
                    "Where the last command seq and the volume are kept (default ./.loa-receiver, or $STATE_DIRECTORY).",
                fallback: SettingsContext.stateDirectory(else: ".loa-receiver")
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "telemetry-interval",
                \.telemetryInterval,
                valueName: "S",
                help: "Seconds between telemetry reports (default 10).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 1...3_600, unit: "seconds")) },
            Setting(
                "keepalive",
                \.keepAlive,
                valueName: "S",
                help: "MQTT keepalive in seconds (default 30); the broker publishes the will after 1.5 times that.",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 5...600, unit: "seconds")) },
            Setting(
                "playout-journal",
                \.playoutJournal,
                valueName: "FILE",
                help: "Append a JSON line per audio message played: due and presented instants."
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "simulate",
                \.simulate,
                valueName: "N",
                help: "Run N receivers in this process (ids from --receivers-file, else sim-0001…).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                try value.number(in: 1...10_000, unit: "a number of receivers") as Int
            },
            Setting(
                "receivers-file",
                \.receiversFile,
                valueName: "FILE",
                help: "With --simulate: the receivers.yaml whose first N entries to impersonate."
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "output-dir",
                \.outputDirectory,
                valueName: "DIR",
                help: "With --simulate: write each receiver's output to DIR/<id>.wav, paced."
            ) { value, context in context.absolutePath(value.text) },
            .logLevel(\.logLevel),
            Setting(
                "test-drop-audio",
                \.audioDropFraction,
                valueName: "FRACTION",
                help: "Test hook: drop this fraction (0-0.99) of the audio messages received, deterministically.",
                isHidden: true
            ) { value, _ throws(ConfigurationError) in try value.number(in: 0...0.99, unit: "a fraction") },
            Setting(
                "test-drop-seed",
                \.audioDropSeed,
                valueName: "N",
                help: "Test hook: the seed of --test-drop-audio's drop sequence (default 1).",
                isHidden: true
            ) { value, _ throws(ConfigurationError) in try value.number(in: 0...UInt64.max, unit: "a seed") },
            Setting(
                "test-fault",
                \.fault,
                valueName: "FAULT",
                help: "Test hook: break the receiver on purpose (ignore-seq, trim-pre-skip, accept-re-aimed).",
                isHidden: true
            ) { value, _ throws(ConfigurationError) in
                guard let fault = ReceiverFault(rawValue: value.text) else {
                    throw ConfigurationError(
                        key: "test-fault",
                        value: value.text,
                        problem: "must be one of \(ReceiverFault.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return fault
            },
            Setting(
                "simulate-clock-offset-s",
                \.simulatedClockOffsetMicroseconds,
                valueName: "S",
                help:
                    "Simulation and tests only: run with the wall clock this many seconds off (-86400-86400, e.g. 40 or -0.05).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                let seconds: Double = try value.number(in: -86_400...86_400, unit: "seconds")
                return Int64((seconds * 1_000_000).rounded())
            },
        ] + BrokerCredentials.declarations(at: \.credentials, account: "This receiver's account on the broker.")
    }

    /// The reader of `loa receiver`'s command line and config file.
    public static var reader: SettingsReader<ReceiverSettings> {
        SettingsReader(command: "loa receiver", declarations: declarations)
    }
}
