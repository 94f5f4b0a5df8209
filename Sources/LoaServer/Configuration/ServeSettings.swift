import Foundation
import LoaConfiguration
import LoaCore
import Logging

/// Everything `loa serve` runs with, resolved once at start: a flag wins over the config file, which wins
/// over the environment (systemd's `STATE_DIRECTORY`) and the defaults. Invalid values stop the daemon
/// before anything is started.
///
/// **Adding a setting:** add its property here with its default, and one ``Setting`` to ``declarations``;
/// the flag, the config file key, `--help` and the error messages all follow. Then document it in
/// `docs/configuration.md`.
public struct ServeSettings: Sendable {
    public var broker = BrokerAddress.embedded
    /// Nil when not given: the daemon takes the id from device-configs/site.yaml, else `local`.
    public var site: String?
    public var stateDirectory = ""
    /// The plain HTTP API: loopback only (``checkPlainHTTPIsLoopback(_:)``); other machines use ``https``.
    public var http = Self.defaultHTTP
    /// The API's cap on open connections; more wait in the kernel's queue. Lowered at start to what the
    /// descriptor limit allows with a reserve for the scheduler, the audio path and the broker link.
    public var httpMaxConnections = 256
    /// How long an API connection may sit without a whole request (or between requests) before it is closed:
    /// the idle and header timeout in one.
    public var httpIdleTimeout: Duration = .seconds(30)
    /// The API over HTTPS for other machines, with the field listener's certificate; nil: off. Port 0 picks a
    /// free one, kept in `<state>/https-port`.
    public var https: HostPort? = Self.defaultHTTPS
    /// The control listener: a Unix socket that serves only health, airing now, stopping and volume, so that
    /// no number of other API clients can keep an emergency off the air.
    public var controlSocket = ""
    /// The whole API on a Unix socket, for the CLI on the gateway: only root and the `loa` group may open it,
    /// and over it no password is asked (local trust).
    public var apiSocket = ""
    /// The longest a source address or an account waits after repeated failed sign-ins.
    public var signInMaximumBackoff: Duration = .seconds(900)
    /// A browser session ends after this long without a request...
    public var sessionIdle: Duration = .seconds(1_800)
    /// ...and this long after sign-in in any case.
    public var sessionLifetime: Duration = .seconds(43_200)
    public var audioDevice = AudioDeviceChoice.automatic
    public var deviceConfigs: String?
    public var credentials = BrokerCredentials()
    /// The embedded broker's TLS listener for receivers in the field; port 0 picks a free one, kept.
    public var fieldListener = HostPort(host: "0.0.0.0", port: 8883)
    /// The names and addresses receivers reach the gateway by, in the order an enrollment lists them: the
    /// broker's certificate holds them all. Empty: the gateway's own addresses and host name.
    public var fieldNames: [String] = []
    /// A certificate the site supplies for the field listener, with its key and CA, instead of the on-box CA's.
    public var fieldTLS = FieldTLSFiles()
    /// How often the controller shows the broker it is alive (`mqtt.keepalive`).
    public var mqttKeepAlive: Duration = .seconds(30)
    public var logLevel = Logger.Level.info
    /// How far ahead of presentation audio is sent to receivers: covers their buffers and the 4G link.
    public var streamLead: Duration = .milliseconds(1000)
    /// How soon a broadcast that is due already (`loa announce`, an emergency, a late item) starts once its audio
    /// is ready; the rest of the lead is sent at once, so receivers' buffers are full within the first second.
    public var onDemandStart: Duration = .milliseconds(300)
    /// The ALSA capture PCM `loa live` streams: the station's microphone or mixer line-in.
    public var liveDevice = "default"
    /// How far ahead of presentation a live session's audio is sent: a spoken sample leaves the loudspeakers
    /// this long after it entered the microphone (protocol v1 draft 8).
    public var liveLead: Duration = .milliseconds(200)
    /// Whether the gateway's own loudspeaker line plays a live session along; off by default, since a
    /// loudspeaker in the studio feeds back into the microphone.
    public var liveMonitor = false
    /// How long a relayed stream may be missing or silent before its fallback airs.
    public var relayDeadAir: Duration = .seconds(3)
    /// An audio file aired in a relay's place while its stream is missing; nil: a chime and a spoken notice.
    public var relayFallback: String?
    /// The notice read after the chime when no fallback file is set.
    public var relayFallbackText = ServeSettings.defaultRelayFallbackText
    /// Where to journal each audio message's playout on the gateway (for sync measurements), if anywhere.
    public var playoutJournal: String?
    /// How long imported audio that nothing plays is kept after its last import, in seconds.
    public var assetGraceSeconds = 86_400
    /// How long after a crash an emergency or priority broadcast it cut may still air again, in seconds.
    public var resumeWithinSeconds = Int(Scheduler.Configuration.defaultResumeWithin)

    /// Start even though the state dir lost its store, key or sequence (`loa serve --accept-lost-state`): a
    /// one-off decision of an operator, so it is a flag of that one start, never a config file key.
    public var acceptLostState = false

    public static let defaultHTTP = HostPort(host: "127.0.0.1", port: 8080)
    public static let defaultRelayFallbackText =
        "Chương trình tiếp sóng đang tạm gián đoạn. Xin quý vị vui lòng chờ trong giây lát."
    public static let defaultHTTPS = HostPort(host: "0.0.0.0", port: 8443)
    public static let defaultSite = "local"

    public init() {}

    /// Every setting of `loa serve`, in the order `--help` and the docs list them.
    static var declarations: [Setting<ServeSettings>] {
        [
            Setting(
                "broker",
                \.broker,
                valueName: "URL",
                help: "mqtt://HOST:PORT, mqtts://HOST:PORT, or embedded (default)."
            ) { value, _ throws(ConfigurationError) in try BrokerAddress(parsing: value.text) },
            Setting("site", \.site, valueName: "ID", help: "The commune's id, part of every MQTT topic.") {
                value,
                _ throws(ConfigurationError) in
                _ = try TopicTree(site: value.text)
                return value.text
            },
            Setting(
                "state-dir",
                \.stateDirectory,
                valueName: "DIR",
                help: "Where state lives (default ./.loa, or $STATE_DIRECTORY under systemd).",
                fallback: SettingsContext.stateDirectory(else: ".loa")
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "http",
                \.http,
                valueName: "HOST:PORT",
                help:
                    "The plain HTTP API's address, on loopback only (default 127.0.0.1:8080); other machines use https."
            ) { value, _ throws(ConfigurationError) in try HostPort(parsing: value.text, key: "http") },
            Setting(
                "https",
                \.https,
                valueName: "HOST:PORT",
                help:
                    "The API over HTTPS for other machines, with the field listener's certificate "
                    + "(default 0.0.0.0:8443; port 0: a free one, kept; off: none)."
            ) { value, _ throws(ConfigurationError) in
                value.text.trimmingCharacters(in: .whitespaces) == "off"
                    ? nil : try HostPort(parsing: value.text, key: "https", defaultPort: 8443)
            },
            Setting(
                "http-max-connections",
                \.httpMaxConnections,
                valueName: "N",
                help: "The HTTP API's cap on open connections (default 256).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in try value.number(in: 8...100_000, unit: "connections") },
            Setting(
                "http-idle-timeout",
                \.httpIdleTimeout,
                valueName: "S",
                help: "Seconds an HTTP connection may wait for a whole request before it is closed (default 30).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 1...3_600, unit: "seconds")) },
            Setting(
                "control-socket",
                \.controlSocket,
                valueName: "PATH",
                help: "The control listener for health, air now, stop and volume "
                    + "(default $RUNTIME_DIRECTORY/control.sock, else control.sock in the state dir).",
                fallback: Self.controlSocketFallback
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "audio-device",
                \.audioDevice,
                valueName: "NAME",
                help: "An ALSA PCM name, or none (default: the sound card, else a WAV file in the state dir)."
            ) { value, _ in AudioDeviceChoice(parsing: value.text) },
            Setting(
                "device-configs",
                \.deviceConfigs,
                valueName: "DIR",
                help: "The folder of zone and receiver files (default ./device-configs).",
                fallback: Self.deviceConfigsFallback
            ) { value, context in context.absolutePath(value.text) },
            .logLevel(\.logLevel),
            Setting(
                "stream-lead-ms",
                \.streamLead,
                valueName: "MS",
                help: "How far ahead audio is sent to receivers (default 1000).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                .milliseconds(try value.number(in: 100...10_000, unit: "milliseconds"))
            },
            Setting(
                "on-demand-start-ms",
                \.onDemandStart,
                valueName: "MS",
                help: "How soon a broadcast aired now starts once its audio is ready (default 300, at most the lead).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                .milliseconds(try value.number(in: 50...10_000, unit: "milliseconds"))
            },
            Setting(
                "live-device",
                \.liveDevice,
                valueName: "PCM",
                help: "The ALSA capture PCM `loa live` streams: the microphone or mixer line-in (default default; "
                    + "see arecord -L)."
            ) { value, _ in value.text },
            Setting(
                "live-lead-ms",
                \.liveLead,
                valueName: "MS",
                help: "How far ahead a live session's audio is sent: its delay from microphone to loudspeaker "
                    + "(default 200).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                .milliseconds(try value.number(in: 60...2_000, unit: "milliseconds"))
            },
            Setting(
                "live-monitor",
                \.liveMonitor,
                valueName: "on|off",
                help: "Whether the gateway's own loudspeaker line plays live sessions along (default off: no "
                    + "feedback in the studio)."
            ) { value, _ throws(ConfigurationError) in try value.onOff() },
            Setting(
                "relay-dead-air-s",
                \.relayDeadAir,
                valueName: "S",
                help: "Seconds a relayed stream may be missing or silent before its fallback airs (default 3).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 1...300, unit: "seconds")) },
            Setting(
                "relay-fallback",
                \.relayFallback,
                valueName: "FILE",
                help: "An audio file aired in a relay's place while its stream is missing (default: a chime and a "
                    + "spoken notice)."
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "relay-fallback-text",
                \.relayFallbackText,
                valueName: "TEXT",
                help: "The notice read after the chime while a relay's stream is missing, with no relay-fallback."
            ) { value, _ in value.text },
            Setting(
                "playout-journal",
                \.playoutJournal,
                valueName: "FILE",
                help: "Journal each audio message's playout on the gateway, as JSON lines (for sync measurements)."
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "resume-within-s",
                \.resumeWithinSeconds,
                valueName: "S",
                help:
                    "Seconds after a crash within which an emergency or priority broadcast it cut airs the rest on restart (default 600; 0: never, alert instead).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                try value.number(in: 0...86_400, unit: "seconds")
            },
            Setting(
                "asset-grace-s",
                \.assetGraceSeconds,
                valueName: "S",
                help: "Seconds imported audio that nothing plays is kept before it is reclaimed (default 86400).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in
                try value.number(in: 1...2_592_000, unit: "seconds")
            },
            Setting(
                "api-socket",
                \.apiSocket,
                valueName: "PATH",
                help: "The whole API for the CLI on this machine, no password asked; root and the loa group only "
                    + "(default $RUNTIME_DIRECTORY/api.sock, else api.sock in the state dir).",
                fallback: Self.apiSocketFallback
            ) { value, context in context.absolutePath(value.text) },
            Setting(
                "sign-in-max-backoff-s",
                \.signInMaximumBackoff,
                valueName: "S",
                help: "The longest wait, in seconds, after repeated failed sign-ins from one address or to one account "
                    + "(default 900; the first 5 failures cost nothing, then each doubles the wait from 1 s).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 1...86_400, unit: "seconds")) },
            Setting(
                "session-idle-s",
                \.sessionIdle,
                valueName: "S",
                help: "Seconds a browser session lasts without a request (default 1800).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 1...86_400, unit: "seconds")) },
            Setting(
                "session-lifetime-s",
                \.sessionLifetime,
                valueName: "S",
                help: "Seconds a browser session lasts after sign-in, however active (default 43200).",
                kind: .number
            ) { value, _ throws(ConfigurationError) in .seconds(try value.number(in: 1...604_800, unit: "seconds")) },
            Setting(
                "mqtt.keepalive",
                \.mqttKeepAlive,
                valueName: "S",
                help: "MQTT keepalive in seconds (default 30).",
                kind: .number,
                sources: .configFileOnly
            ) { value, _ throws(ConfigurationError) in
                .seconds(try value.number(in: 5...600, unit: "seconds"))
            },
            Setting(
                "field-listener",
                \.fieldListener,
                valueName: "HOST:PORT",
                help:
                    "The embedded broker's TLS listener for receivers (default 0.0.0.0:8883; port 0: a free one, kept)."
            ) { value, _ throws(ConfigurationError) in
                try HostPort(parsing: value.text, key: "field-listener", defaultPort: 8883)
            },
            Setting(
                "field-names",
                \.fieldNames,
                valueName: "NAMES",
                help:
                    "Comma-separated host names and addresses receivers reach the gateway by, first tried first "
                    + "(default: its addresses and host name); the broker's certificate holds them all."
            ) { value, _ throws(ConfigurationError) in
                let names = value.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard !names.isEmpty,
                    names.allSatisfy({ name in
                        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || "-.:".contains($0) }
                    })
                else {
                    throw ConfigurationError(
                        key: "field-names",
                        value: value.text,
                        problem:
                            "must be host names or IP addresses separated by commas, e.g. loa.xa-an-phu.vn,10.0.0.2"
                    )
                }
                return names
            },
        ] + FieldTLSFiles.declarations(at: \.fieldTLS)
            + BrokerCredentials.declarations(at: \.credentials, account: "The controller's account on a remote broker.")
    }

    /// Where the commune's files are when not given: systemd's configuration directory, else
    /// `./device-configs` if there is one.
    static func deviceConfigsFallback(_ context: SettingsContext) -> SettingValue? {
        if let configured = context.environment["CONFIGURATION_DIRECTORY"] {
            return SettingValue("\(configured)/device-configs", origin: .environment("CONFIGURATION_DIRECTORY"))
        }
        let local = "\(context.currentDirectory)/device-configs"
        guard FileManager.default.fileExists(atPath: local) else { return nil }
        return SettingValue(local, origin: .default)
    }

    /// The control socket when not given: systemd's runtime directory, else the state dir (resolved after it).
    static func controlSocketFallback(_ context: SettingsContext) -> SettingValue? {
        context.systemdDirectory("RUNTIME_DIRECTORY").map {
            SettingValue("\($0.text)/control.sock", origin: .environment("RUNTIME_DIRECTORY"))
        }
    }

    /// The API socket when not given: systemd's runtime directory, else the state dir (resolved after it).
    static func apiSocketFallback(_ context: SettingsContext) -> SettingValue? {
        context.systemdDirectory("RUNTIME_DIRECTORY").map {
            SettingValue("\($0.text)/api.sock", origin: .environment("RUNTIME_DIRECTORY"))
        }
    }

    /// The reader of `loa serve`'s command line and config file.
    public static var reader: SettingsReader<ServeSettings> {
        SettingsReader(command: "loa serve", declarations: declarations)
    }

    /// Resolves a command line (the arguments after `serve`), the config file it names, and the environment.
    public static func resolve(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ConfigurationError) -> SettingsReader<ServeSettings>.Resolved {
        var resolved = try reader.resolve(
            ServeSettings(),
            arguments: arguments,
            context: SettingsContext(environment: environment, currentDirectory: currentDirectory)
        )
        if resolved.settings.controlSocket.isEmpty {
            resolved.settings.controlSocket = "\(resolved.settings.stateDirectory)/control.sock"
        }
        if resolved.settings.apiSocket.isEmpty {
            resolved.settings.apiSocket = "\(resolved.settings.stateDirectory)/api.sock"
        }
        do { try checkPlainHTTPIsLoopback(resolved.settings.http) } catch {
            // Not a typo but a listener that would carry passwords and tokens in clear: a configuration error
            // (78) wherever it was given.
            var blamed = resolved.blame(error, on: "http")
            blamed.origin = .configFile
            throw blamed
        }
        return resolved
    }

    /// Plain HTTP carries operators' passwords and tokens in clear: it listens on loopback only (127.0.0.0/8,
    /// ::1, localhost), and other machines use the HTTPS listener.
    public static func checkPlainHTTPIsLoopback(_ address: HostPort) throws(ConfigurationError) {
        guard !isLoopback(address.host) else { return }
        throw ConfigurationError(
            key: "http",
            value: address.description,
            problem:
                "must be a loopback address (127.0.0.1, ::1 or localhost): plain HTTP would carry passwords and "
                + "tokens in clear; use https for other machines"
        )
    }

    /// Whether `host` is a loopback address or `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber }
                && Int(octet).map { $0 <= 255 } == true
        }
    }
}
