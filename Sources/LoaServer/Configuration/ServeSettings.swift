import Foundation
import LoaCore
import Logging

/// Everything `loa serve` runs with, resolved once at start: a flag wins over the config file, which wins
/// over the environment (systemd's `STATE_DIRECTORY`) and the defaults. Invalid values stop the daemon
/// before anything is started.
public struct ServeSettings: Sendable {
    public var broker: BrokerAddress
    /// Nil when not given: the daemon takes the id from device-configs/site.yaml, else `local`.
    public var site: String?
    public var stateDirectory: String
    public var http: HostPort
    public var audioDevice: AudioDeviceChoice
    public var deviceConfigs: String?
    public var credentials: BrokerCredentials
    public var logLevel: Logger.Level
    /// How far ahead of presentation audio is sent to receivers: covers their buffers and the 4G link.
    public var streamLead: Duration = .milliseconds(1000)
    /// Where to journal each audio message's playout on the gateway (for sync measurements), if anywhere.
    public var playoutJournal: String?

    public static let defaultHTTP = HostPort(host: "127.0.0.1", port: 8080)
    public static let defaultSite = "local"

    public init(
        broker: BrokerAddress = .embedded,
        site: String? = nil,
        stateDirectory: String,
        http: HostPort = defaultHTTP,
        audioDevice: AudioDeviceChoice = .automatic,
        deviceConfigs: String? = nil,
        credentials: BrokerCredentials = BrokerCredentials(),
        logLevel: Logger.Level = .info
    ) {
        self.broker = broker
        self.site = site
        self.stateDirectory = stateDirectory
        self.http = http
        self.audioDevice = audioDevice
        self.deviceConfigs = deviceConfigs
        self.credentials = credentials
        self.logLevel = logLevel
    }

    /// Resolves flags, the config file they name, and the environment.
    public static func resolve(
        flags: ServeFlags,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ConfigurationError) -> ServeSettings {
        let file = try flags.config.map { path throws(ConfigurationError) in try GatewayConfigFile(path: path) }

        /// A value and the error context to blame if it is bad: the flag, or the file's line.
        func pick(_ flag: String?, _ fileValue: String?, key: String) -> (String, String?)? {
            if let flag { return (flag, nil) }
            if let fileValue { return (fileValue, file?.locations[key] ?? file?.path) }
            return nil
        }
        func blame(_ error: ConfigurationError, at location: String?) -> ConfigurationError {
            guard let location else { return error }
            var error = error
            error.location = location
            error.origin = .configFile
            return error
        }

        var settings = ServeSettings(stateDirectory: Self.absolute(".loa", in: currentDirectory))
        if let file { settings.credentials = file.credentials }

        if let (value, location) = pick(flags.broker, file?.broker, key: "broker") {
            do { settings.broker = try BrokerAddress(parsing: value) } catch { throw blame(error, at: location) }
        }
        if let (value, location) = pick(flags.site, file?.site, key: "site") {
            do { _ = try TopicTree(site: value) } catch { throw blame(error, at: location) }
            settings.site = value
        }
        if let (value, _) = pick(flags.stateDirectory, file?.stateDirectory, key: "state-dir") {
            // systemd may hand several directories separated by ':'; Loa uses the first.
            settings.stateDirectory = Self.absolute(value, in: currentDirectory)
        } else if let fromSystemd = environment["STATE_DIRECTORY"] {
            settings.stateDirectory = String(fromSystemd.split(separator: ":").first ?? "")
        }
        if let (value, location) = pick(flags.http, file?.http, key: "http") {
            do { settings.http = try HostPort(parsing: value, key: "http") } catch { throw blame(error, at: location) }
        }
        if let (value, _) = pick(flags.audioDevice, file?.audioDevice, key: "audio-device") {
            settings.audioDevice = AudioDeviceChoice(parsing: value)
        }
        if let (value, _) = pick(flags.deviceConfigs, file?.deviceConfigs, key: "device-configs") {
            settings.deviceConfigs = Self.absolute(value, in: currentDirectory)
        } else if let configured = environment["CONFIGURATION_DIRECTORY"] {
            settings.deviceConfigs = "\(configured)/device-configs"
        } else if FileManager.default.fileExists(atPath: "\(currentDirectory)/device-configs") {
            settings.deviceConfigs = "\(currentDirectory)/device-configs"
        }
        if let (value, location) = pick(flags.logLevel, file?.logLevel, key: "log-level") {
            guard let level = Logger.Level(rawValue: value) else {
                throw blame(
                    ConfigurationError(
                        key: "log-level",
                        value: value,
                        problem:
                            "is not a log level; use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))"
                    ),
                    at: location
                )
            }
            settings.logLevel = level
        }
        if let lead = flags.streamLeadMilliseconds ?? file?.streamLeadMilliseconds {
            guard (100...10_000).contains(lead) else {
                throw blame(
                    ConfigurationError(
                        key: "stream-lead-ms",
                        value: "\(lead)",
                        problem: "must be 100-10000 milliseconds"
                    ),
                    at: flags.streamLeadMilliseconds == nil ? file?.locations["stream-lead-ms"] : nil
                )
            }
            settings.streamLead = .milliseconds(lead)
        }
        if let journal = flags.playoutJournal ?? file?.playoutJournal {
            settings.playoutJournal = Self.absolute(journal, in: currentDirectory)
        }
        return settings
    }

    static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : "\(directory)/\(path)"
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
