import LoaConfiguration
import LoaCore
import LoaSignature
import Logging

/// What `loa receiver` runs with: its declared ``ReceiverSettings``, and what follows from the settings that
/// depend on each other (who to be, where the audio goes, whose commands to obey). Invalid values stop the
/// receiver before it connects, with one line that names the flag, or the file and line.
///
/// A setting is read as `configuration.name`, straight from ``settings``. Tests build one directly with
/// ``init(broker:site:receivers:output:controllerKey:stateDirectory:)``.
@dynamicMemberLookup
public struct ReceiverConfiguration: Sendable {
    public var settings = ReceiverSettings()
    public var broker: BrokerAddress
    /// One receiver, or the N of `--simulate N`.
    public var receivers: [ReceiverIdentity]
    /// `--simulate`: receivers share signature checks and packet decoding, and default to no device.
    public var isSimulation: Bool { settings.simulate != nil }
    public var output: ReceiverOutput
    /// The controller's public key as configured: the only signer a receiver obeys, until a rotation it signs.
    public var controllerKey: ControllerPublicKey
    /// Delays between reconnection attempts.
    public var reconnect = Backoff(initial: .milliseconds(250), maximum: .seconds(30))
    /// The enrollments it runs from (`--enrollment`), by receiver id: each receiver's own account.
    public var enrollments: [String: Enrollment] = [:]
    /// How long a stalled stream is concealed (Opus packet-loss concealment) before a session with no known end
    /// goes silent; it stays open for the stall limit, 10 s in all (protocol v1 draft 8).
    public var maximumConcealment: Duration = .milliseconds(500)

    public init(
        broker: BrokerAddress,
        site: String,
        receivers: [ReceiverIdentity],
        output: ReceiverOutput,
        controllerKey: ControllerPublicKey,
        stateDirectory: String
    ) {
        self.broker = broker
        self.receivers = receivers
        self.output = output
        self.controllerKey = controllerKey
        settings.broker = broker
        settings.site = site
        settings.stateDirectory = stateDirectory
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ReceiverSettings, Value>) -> Value {
        get { settings[keyPath: keyPath] }
        set { settings[keyPath: keyPath] = newValue }
    }

    public static let defaultSite = "local"
    public static let defaultAudioDevice = "default"

    /// Resolves a command line (the arguments after `receiver`), the config file it names, the environment
    /// and the controller key.
    public static func resolve(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ConfigurationError) -> ReceiverConfiguration {
        let resolved = try ReceiverSettings.reader.resolve(
            ReceiverSettings(),
            arguments: arguments,
            context: SettingsContext(environment: environment, currentDirectory: currentDirectory)
        )
        return try ReceiverConfiguration(resolved: resolved)
    }

    /// Checks the settings that depend on each other, blaming the flag or the line that gave each.
    init(resolved: SettingsReader<ReceiverSettings>.Resolved) throws(ConfigurationError) {
        var settings = resolved.settings
        let enrollments = try Self.enrollments(&settings, resolved: resolved)
        func missing(_ key: String, _ hint: String) -> ConfigurationError {
            ConfigurationError(
                key: key,
                problem: "is required: give \(hint)",
                origin: resolved.configFile == nil ? .commandLine : .configFile
            )
        }
        func refuse(_ key: String, _ value: String, _ problem: String) -> ConfigurationError {
            resolved.blame(ConfigurationError(key: key, value: value, problem: problem), on: key)
        }

        guard let broker = settings.broker else {
            throw missing("broker", "--broker mqtt://HOST:PORT (or broker: in the config file)")
        }
        var receivers = try Self.receivers(settings, resolved: resolved, missing: missing, refuse: refuse)
        if let simulate = settings.simulate, enrollments.count > 1 {
            guard enrollments.count >= simulate else {
                throw refuse(
                    "simulate",
                    "\(simulate)",
                    "asks for more receivers than the enrollment file holds (\(enrollments.count)); enroll more with `loa receivers enroll --all`"
                )
            }
            receivers = try enrollments.prefix(simulate).map { enrollment throws(ConfigurationError) in
                try ReceiverIdentity(id: enrollment.id, zone: enrollment.zone)
            }
        }

        // Where the audio goes.
        let output: ReceiverOutput
        if let directory = settings.outputDirectory {
            guard settings.simulate != nil else {
                throw refuse("output-dir", directory, "is only for --simulate; use --audio-device")
            }
            output = .files(directory: directory)
        } else if settings.simulate != nil {
            if let name = settings.audioDevice, name != "null", name != "none" {
                throw refuse(
                    "audio-device",
                    name,
                    "cannot be shared by simulated receivers; they write to null, or to files with --output-dir"
                )
            }
            output = .none
        } else {
            let name = settings.audioDevice ?? Self.defaultAudioDevice
            output = name == "none" ? .none : .device(name)
        }

        // The controller's key: required, there is no unsigned mode. A key that cannot be read or parsed is a
        // configuration error (exit 78) wherever it was given.
        guard let keyText = settings.controllerKey else {
            throw ConfigurationError(
                key: "controller-key",
                problem: "is required: give --controller-key with the key `loa key show` prints, or a file holding it",
                origin: .configFile
            )
        }
        let key: ControllerPublicKey
        do {
            key = try ControllerPublicKey(textOrFile: keyText)
        } catch {
            var location: String?
            if case .file(let line) = resolved.origins["controller-key"] { location = line }
            throw ConfigurationError(
                key: "controller-key",
                value: keyText.count > 80 ? String(keyText.prefix(80)) + "…" : keyText,
                problem: error.problem,
                location: location,
                origin: .configFile
            )
        }

        self.init(
            broker: broker,
            site: settings.site,
            receivers: receivers,
            output: output,
            controllerKey: key,
            stateDirectory: settings.stateDirectory
        )
        self.settings = settings
        self.enrollments = Dictionary(enrollments.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Reads `--enrollment` and fills in what it holds and no flag or config key gave: the broker (its first
    /// URL), the site, who to be, and the controller's key.
    static func enrollments(
        _ settings: inout ReceiverSettings,
        resolved: SettingsReader<ReceiverSettings>.Resolved
    ) throws(ConfigurationError) -> [Enrollment] {
        guard let path = settings.enrollment else { return [] }
        let enrollments: [Enrollment]
        do throws(ConfigurationError) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ConfigurationError(
                    key: "enrollment",
                    value: path,
                    problem: "cannot be read; check the path and that this user may read it"
                )
            }
            enrollments = try Enrollment.parse(text)
            guard let first = enrollments.first else {
                throw ConfigurationError(key: "enrollment", value: path, problem: "holds no enrollment")
            }
            if settings.broker == nil {
                guard let url = first.brokers.first else {
                    throw ConfigurationError(key: "enrollment", value: path, problem: "names no broker")
                }
                settings.broker = try BrokerAddress(parsing: url)
            }
            if resolved.origins["site"] == nil { settings.site = first.site }
            if settings.simulate == nil {
                settings.id = settings.id ?? first.id
                if settings.zones.isEmpty { settings.zones = [first.zone] }
            }
            settings.controllerKey = settings.controllerKey ?? first.controllerKey
        } catch {
            throw resolved.blame(error, on: "enrollment")
        }
        return enrollments
    }

    /// Who to be: one receiver (`--id` and one `--zone`), or the N of `--simulate N`, from a receivers file or
    /// numbered `sim-0001…` over the zones given.
    static func receivers(
        _ settings: ReceiverSettings,
        resolved: SettingsReader<ReceiverSettings>.Resolved,
        missing: (String, String) -> ConfigurationError,
        refuse: (String, String, String) -> ConfigurationError
    ) throws(ConfigurationError) -> [ReceiverIdentity] {
        let zones = settings.zones
        guard let simulate = settings.simulate else {
            guard let id = settings.id else {
                throw missing("id", "--id ID (or id: in the config file), or --simulate N")
            }
            guard let zone = zones.first else { throw missing("zone", "--zone ZONE (or zone: in the config file)") }
            guard zones.count == 1 else {
                throw refuse(
                    "zone",
                    zones.joined(separator: ","),
                    "must be one zone; several zones are only for --simulate"
                )
            }
            do {
                return [try ReceiverIdentity(id: id, zone: zone)]
            } catch {
                throw resolved.blame(error, on: error.key == "id" ? "id" : "zone")
            }
        }
        if let file = settings.receiversFile {
            do { return try ReceiversFile.load(path: file, count: simulate) } catch {
                throw error.location == nil ? resolved.blame(error, on: "receivers-file") : error
            }
        }
        let zoneList = zones.isEmpty ? ["sim"] : zones
        var receivers: [ReceiverIdentity] = []
        for index in 0..<simulate {
            let number = "\(index + 1)"
            let id = "sim-" + String(repeating: "0", count: max(0, 4 - number.count)) + number
            do {
                receivers.append(try ReceiverIdentity(id: id, zone: zoneList[index % zoneList.count]))
            } catch {
                throw resolved.blame(error, on: "zone")
            }
        }
        return receivers
    }
}
