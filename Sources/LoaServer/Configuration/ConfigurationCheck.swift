import Foundation
import LoaCore

/// What `loa config check` and `loa serve` both verify before anything starts: the gateway config, the
/// commune's `device-configs/`, and that every file they name can be read. Errors carry `file:line`.
public enum ConfigurationCheck {
    /// What was checked, for the summary line.
    public struct Summary: Sendable {
        public var settings: ServeSettings
        public var configs: DeviceConfigs
    }

    public static func run(
        flags: ServeFlags,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ConfigurationError) -> Summary {
        let settings = try ServeSettings.resolve(
            flags: flags,
            environment: environment,
            currentDirectory: currentDirectory
        )
        let file = try flags.config.map { path throws(ConfigurationError) in try GatewayConfigFile(path: path) }
        let credentials = settings.credentials
        let named: [(String, String?)] = [
            ("mqtt.password-file", credentials.passwordFile), ("mqtt.ca-file", credentials.caFile),
            ("mqtt.cert-file", credentials.certificateFile), ("mqtt.key-file", credentials.keyFile),
        ]
        for (key, path) in named {
            guard let path else { continue }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError(
                    key: key,
                    value: path,
                    problem: "cannot be read; check the path and that the loa user may read it",
                    location: file?.locations[key] ?? file?.path,
                    origin: .configFile
                )
            }
        }
        if case .remote(_, _, true) = settings.broker, credentials.caFile == nil {
            throw ConfigurationError(
                key: "mqtt.ca-file",
                problem: "is missing; an mqtts:// broker needs the CA that signs its certificate",
                location: file?.path,
                origin: .configFile
            )
        }
        var configs = DeviceConfigs()
        if let directory = settings.deviceConfigs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ConfigurationError(
                    key: "device-configs",
                    value: directory,
                    problem: "is not a directory",
                    location: file?.locations["device-configs"],
                    origin: .configFile
                )
            }
            configs = try DeviceConfigs.load(from: directory)
        }
        return Summary(settings: settings, configs: configs)
    }
}
