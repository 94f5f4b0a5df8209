import Foundation
import LoaConfiguration
import LoaCore

/// What `loa config check` and `loa serve` both verify before anything starts: the gateway config, the
/// commune's `device-configs/`, and that every file they name can be read. Errors carry `file:line`.
public enum ConfigurationCheck {
    /// What was checked, for the summary line.
    public struct Summary: Sendable {
        public var settings: ServeSettings
        public var configs: DeviceConfigs
    }

    /// Checks `loa serve`'s command line (the arguments after `serve`), the config file it names, and the
    /// files and folders they point at.
    public static func run(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(ConfigurationError) -> Summary {
        let resolved = try ServeSettings.resolve(
            arguments: arguments,
            environment: environment,
            currentDirectory: currentDirectory
        )
        let settings = resolved.settings
        let credentials = settings.credentials
        let named: [(String, String?)] = [
            ("mqtt.password-file", credentials.passwordFile), ("mqtt.ca-file", credentials.caFile),
            ("mqtt.cert-file", credentials.certificateFile), ("mqtt.key-file", credentials.keyFile),
        ]
        for (key, path) in named {
            guard let path else { continue }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw resolved.blame(
                    ConfigurationError(
                        key: key,
                        value: path,
                        problem: "cannot be read; check the path and that the loa user may read it"
                    ),
                    on: key
                )
            }
        }
        if case .remote(_, _, true) = settings.broker, credentials.caFile == nil {
            throw resolved.blame(
                ConfigurationError(
                    key: "mqtt.ca-file",
                    problem: "is missing; an mqtts:// broker needs the CA that signs its certificate",
                    origin: .configFile
                ),
                on: "mqtt.ca-file"
            )
        }
        var configs = DeviceConfigs()
        if let directory = settings.deviceConfigs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw resolved.blame(
                    ConfigurationError(key: "device-configs", value: directory, problem: "is not a directory"),
                    on: "device-configs"
                )
            }
            configs = try DeviceConfigs.load(from: directory)
        }
        return Summary(settings: settings, configs: configs)
    }
}
