import Foundation
import LoaCore
import LoaSecurity
import Logging

/// Everything `loa receiver` runs with, resolved once at start: a flag wins over the config file, which wins
/// over the environment (systemd's `STATE_DIRECTORY`) and the defaults. Invalid values stop the receiver
/// before it connects, with one line that names the flag, or the file and line.
///
/// Tests build one directly with ``init(broker:site:receivers:output:controllerKey:stateDirectory:)``.
public struct ReceiverConfiguration: Sendable {
    public var broker: BrokerAddress
    public var credentials = ReceiverCredentials()
    public var site: String
    /// One receiver, or the N of `--simulate N`.
    public var receivers: [ReceiverIdentity]
    /// `--simulate`: receivers share signature checks and packet decoding, and default to no device.
    public var isSimulation = false
    public var output: ReceiverOutput
    /// The controller's public key: the only signer a receiver obeys.
    public var controllerKey: any SignatureChecking
    /// Holds the last obeyed command `seq` and the volume; one subdirectory per receiver when simulating.
    public var stateDirectory: String
    public var telemetryInterval: Duration = .seconds(10)
    public var keepAlive: Duration = .seconds(30)
    /// JSON lines, one per audio message played (see ``PlayoutJournal``).
    public var playoutJournal: String?
    public var logLevel = Logger.Level.info
    /// Test hook: the fraction of audio messages dropped on arrival.
    public var audioDropFraction = 0.0
    public var audioDropSeed: UInt64 = 1
    /// Delays between reconnection attempts.
    public var reconnect = Backoff(initial: .milliseconds(250), maximum: .seconds(30))
    /// How long a stalled stream is concealed before a session with no known end is given up.
    public var maximumConcealment: Duration = .milliseconds(500)

    public init(
        broker: BrokerAddress,
        site: String,
        receivers: [ReceiverIdentity],
        output: ReceiverOutput,
        controllerKey: any SignatureChecking,
        stateDirectory: String
    ) {
        self.broker = broker
        self.site = site
        self.receivers = receivers
        self.output = output
        self.controllerKey = controllerKey
        self.stateDirectory = stateDirectory
    }

    public static let defaultSite = "local"
    public static let defaultAudioDevice = "default"

    /// Resolves flags, the config file they name, the environment and the controller key.
    public static func resolve(
        flags: ReceiverFlags,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ConfigurationError) -> ReceiverConfiguration {
        let file = try flags.config.map { path throws(ConfigurationError) in try ReceiverConfigFile(path: path) }

        /// A value and where to blame it: nil for a flag, the file's line for the config file.
        func pick(_ flag: String?, _ key: String) -> (value: String, location: String?)? {
            if let flag { return (flag, nil) }
            if let value = file?.strings[key] { return (value, file?.locations[key] ?? file?.path) }
            return nil
        }
        func pickNumber(_ flag: String?, _ key: String) -> (value: String, location: String?)? {
            if let flag { return (flag, nil) }
            if let value = file?.numbers[key] { return ("\(value)", file?.locations[key] ?? file?.path) }
            return nil
        }
        func blame(_ error: ConfigurationError, at location: String?) -> ConfigurationError {
            guard let location else { return error }
            var error = error
            error.location = location
            error.origin = .configFile
            return error
        }
        func missing(_ key: String, _ hint: String) -> ConfigurationError {
            ConfigurationError(
                key: key,
                problem: "is required: give \(hint)",
                origin: file == nil ? .commandLine : .configFile
            )
        }
        func number<T: Comparable & LosslessStringConvertible>(
            _ flag: String?,
            _ key: String,
            _ range: ClosedRange<T>,
            unit: String
        ) throws(ConfigurationError) -> T? {
            guard let (text, location) = pickNumber(flag, key) else { return nil }
            guard let value = T(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw blame(
                    ConfigurationError(
                        key: key,
                        value: text,
                        problem: "must be \(unit) from \(range.lowerBound) to \(range.upperBound)"
                    ),
                    at: location
                )
            }
            return value
        }
        func path(_ value: String) -> String {
            let joined = value.hasPrefix("/") ? value : "\(currentDirectory)/\(value)"
            return URL(fileURLWithPath: joined).standardizedFileURL.path
        }

        // The broker: a receiver never runs one.
        guard let (brokerText, brokerLocation) = pick(flags.broker, "broker") else {
            throw missing("broker", "--broker mqtt://HOST:PORT (or broker: in the config file)")
        }
        let broker: BrokerAddress
        do { broker = try BrokerAddress(parsing: brokerText) } catch { throw blame(error, at: brokerLocation) }
        if case .embedded = broker {
            throw blame(
                ConfigurationError(
                    key: "broker",
                    value: brokerText,
                    problem: "must be the controller's broker, mqtt://HOST:PORT or mqtts://HOST:PORT"
                ),
                at: brokerLocation
            )
        }

        var site = defaultSite
        if let (value, location) = pick(flags.site, "site") {
            do { _ = try TopicTree(site: value) } catch { throw blame(error, at: location) }
            site = value
        }

        // Who: one receiver, or N simulated ones.
        let simulate: Int? = try number(flags.simulate, "simulate", 1...10_000, unit: "a number of receivers")
        let zoneValues: (values: [String], location: String?)? =
            !flags.zones.isEmpty ? (flags.zones, nil) : file?.zones.map { ($0, file?.locations["zone"]) }
        let zones = (zoneValues?.values ?? []).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var receivers: [ReceiverIdentity] = []
        if let simulate {
            if let (value, location) = pick(flags.receiversFile, "receivers-file") {
                do { receivers = try ReceiversFile.load(path: path(value), count: simulate) } catch {
                    throw error.location == nil ? blame(error, at: location) : error
                }
            } else {
                let zoneList = zones.isEmpty ? ["sim"] : zones
                for index in 0..<simulate {
                    let id = "sim-" + String(repeating: "0", count: max(0, 4 - "\(index + 1)".count)) + "\(index + 1)"
                    do {
                        receivers.append(try ReceiverIdentity(id: id, zone: zoneList[index % zoneList.count]))
                    } catch {
                        throw blame(error, at: zoneValues?.location)
                    }
                }
            }
        } else {
            guard let (id, idLocation) = pick(flags.id, "id") else {
                throw missing("id", "--id ID (or id: in the config file), or --simulate N")
            }
            guard let zone = zones.first else { throw missing("zone", "--zone ZONE (or zone: in the config file)") }
            guard zones.count == 1 else {
                throw blame(
                    ConfigurationError(
                        key: "zone",
                        value: zones.joined(separator: ","),
                        problem: "must be one zone; several zones are only for --simulate"
                    ),
                    at: zoneValues?.location
                )
            }
            do {
                receivers = [try ReceiverIdentity(id: id, zone: zone)]
            } catch {
                throw blame(error, at: error.key == "id" ? idLocation : zoneValues?.location)
            }
        }

        // Where the audio goes.
        let output: ReceiverOutput
        let device = pick(flags.audioDevice, "audio-device")
        if let (directory, location) = pick(flags.outputDirectory, "output-dir") {
            guard simulate != nil else {
                throw blame(
                    ConfigurationError(
                        key: "output-dir",
                        value: directory,
                        problem: "is only for --simulate; use --audio-device"
                    ),
                    at: location
                )
            }
            output = .files(directory: path(directory))
        } else if simulate != nil {
            if let (name, location) = device, name != "null", name != "none" {
                throw blame(
                    ConfigurationError(
                        key: "audio-device",
                        value: name,
                        problem:
                            "cannot be shared by simulated receivers; they write to null, or to files with --output-dir"
                    ),
                    at: location
                )
            }
            output = .none
        } else {
            let name = device?.value ?? defaultAudioDevice
            output = name == "none" ? .none : .device(name)
        }

        let telemetry: Int? = try number(flags.telemetryInterval, "telemetry-interval", 1...3_600, unit: "seconds")
        let keepAlive: Int? = try number(flags.keepAlive, "keepalive", 5...600, unit: "seconds")
        let dropFraction: Double? = try number(flags.testDropAudio, "test-drop-audio", 0...0.99, unit: "a fraction")
        let dropSeed: UInt64? = try number(flags.testDropSeed, "test-drop-seed", 0...UInt64.max, unit: "a seed")
        var logLevel = Logger.Level.info
        if let (value, location) = pick(flags.logLevel, "log-level") {
            guard let level = Logger.Level(rawValue: value) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw blame(
                    ConfigurationError(
                        key: "log-level",
                        value: value,
                        problem: "is not a log level; use one of \(levels)"
                    ),
                    at: location
                )
            }
            logLevel = level
        }

        // The controller's key: required, there is no unsigned mode.
        guard let (keyText, keyLocation) = pick(flags.controllerKey, "controller-key") else {
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
            throw ConfigurationError(
                key: "controller-key",
                value: keyText.count > 80 ? String(keyText.prefix(80)) + "…" : keyText,
                problem: error.problem,
                location: keyLocation,
                origin: .configFile
            )
        }

        var stateDirectory = path(".loa-receiver")
        if let (value, _) = pick(flags.stateDirectory, "state-dir") {
            stateDirectory = path(value)
        } else if let fromSystemd = environment["STATE_DIRECTORY"], !fromSystemd.isEmpty {
            stateDirectory = String(fromSystemd.split(separator: ":").first ?? "")
        }

        var configuration = ReceiverConfiguration(
            broker: broker,
            site: site,
            receivers: receivers,
            output: output,
            controllerKey: key,
            stateDirectory: stateDirectory
        )
        configuration.isSimulation = simulate != nil
        if let file { configuration.credentials = file.credentials }
        if let telemetry { configuration.telemetryInterval = .seconds(telemetry) }
        if let keepAlive { configuration.keepAlive = .seconds(keepAlive) }
        if let (value, _) = pick(flags.playoutJournal, "playout-journal") {
            configuration.playoutJournal = path(value)
        }
        configuration.logLevel = logLevel
        if let dropFraction { configuration.audioDropFraction = dropFraction }
        if let dropSeed { configuration.audioDropSeed = dropSeed }
        return configuration
    }
}
