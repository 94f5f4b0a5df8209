import LoaCore

/// A setting's value as it was given, and where: the one thing every layer hands on, so that an error found
/// while interpreting the value names the flag, the file's line, or the environment variable it came from.
public struct SettingValue: Sendable, Hashable {
    /// Where a value came from. A flag wins over a file line, which wins over the environment.
    public enum Origin: Sendable, Hashable {
        /// `--name` on the command line.
        case flag(String)
        /// `file:line` in the config file.
        case file(String)
        /// An environment variable, such as systemd's `STATE_DIRECTORY`.
        case environment(String)
        /// A default that depends on the machine (the current directory, a folder that exists).
        case `default`
    }

    /// The setting's key (`stream-lead-ms`, `mqtt.keepalive`), for messages.
    public var key: String
    /// Every value given: one for most settings, several for a list (`--zone a --zone b`, `zone: [a, b]`).
    public var texts: [String]
    public var origin: Origin

    /// The value given last; a flag repeated for a single-valued setting means its last value, as in
    /// ArgumentParser.
    public var text: String { texts.last ?? "" }

    public init(_ text: String, origin: Origin, key: String = "") {
        self.init(texts: [text], origin: origin, key: key)
    }

    public init(texts: [String], origin: Origin, key: String = "") {
        self.texts = texts
        self.origin = origin
        self.key = key
    }

    /// `error`, rewritten to name where this value came from: the flag and exit 64, or the file's line and
    /// exit 78.
    public func blame(_ error: ConfigurationError) -> ConfigurationError {
        var error = error
        switch origin {
        case .flag(let flag):
            if error.location == nil, !error.key.hasPrefix("--") { error.key = flag }
            error.origin = .commandLine
        case .file(let location):
            if error.location == nil { error.location = location }
            error.origin = .configFile
        case .environment(let name):
            if error.location == nil { error.location = "$\(name)" }
            error.origin = .configFile
        case .default:
            break
        }
        return error
    }

    /// `file:line` when the value came from the config file.
    public var fileLocation: String? {
        if case .file(let location) = origin { return location }
        return nil
    }
}
