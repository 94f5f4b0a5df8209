import LoaCore

/// One setting of a binary, declared once: its name (the flag's and the config file key's), its help, what
/// kind of value it takes, and where the resolved value goes. Each binary lists its settings in one place
/// (``ServeSettings/declarations``, ``ReceiverSettings/declarations``); the command line, the config file,
/// `--help` and every error message are all derived from that list.
///
/// Follows swift-configuration's design (one key, layered providers, a reader that knows each value's
/// provider), keeping what operators rely on and that library's YAML provider does not give: unknown keys
/// refused, and every error with `file:line`.
public struct Setting<Settings> {
    /// The flag's name without `--`, and the config file key; a dotted key (`mqtt.username`) lives in a nested
    /// mapping of the file.
    public let key: String
    public let valueName: String
    public let help: String
    public let kind: SettingKind
    public let sources: SettingSources
    /// Hidden settings are test hooks: accepted, but not listed by `--help` or in the docs.
    public let isHidden: Bool
    /// The value when neither a flag nor the file gives one: from the environment or the machine.
    let fallback: ((SettingsContext) -> SettingValue?)?
    let apply: (inout Settings, SettingValue, SettingsContext) throws(ConfigurationError) -> Void

    /// Declares a setting whose value `parse` turns into the property at `keyPath`.
    public init<Value>(
        _ key: String,
        _ keyPath: WritableKeyPath<Settings, Value>,
        valueName: String,
        help: String,
        kind: SettingKind = .single,
        sources: SettingSources = .anywhere,
        isHidden: Bool = false,
        fallback: ((SettingsContext) -> SettingValue?)? = nil,
        parse: @escaping (SettingValue, SettingsContext) throws(ConfigurationError) -> Value
    ) {
        self.key = key
        self.valueName = valueName
        self.help = help
        self.kind = kind
        self.sources = sources
        self.isHidden = isHidden
        self.fallback = fallback
        self.apply = { (settings: inout Settings, value, context) throws(ConfigurationError) in
            settings[keyPath: keyPath] = try parse(value, context)
        }
    }

    /// Whether `--key` may be given on the command line.
    public var isFlag: Bool { sources == .anywhere }
}

/// What a setting's value must look like in the config file; on the command line every value is text.
public enum SettingKind: Sendable, Hashable {
    /// A single value (`key: value`).
    case single
    /// A whole number (`key: 30`).
    case number
    /// A value or a list (`key: [a, b]`); the flag may be repeated.
    case list
}

/// Where a setting may be given.
public enum SettingSources: Sendable, Hashable {
    /// On the command line and in the config file.
    case anywhere
    /// Only in the config file: secrets, and what `ps` must never show.
    case configFileOnly
}

/// What a setting's parser may need besides its value: relative paths are taken from the current directory.
public struct SettingsContext: Sendable {
    public var environment: [String: String]
    public var currentDirectory: String

    public init(environment: [String: String], currentDirectory: String) {
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// `path` made absolute against the current directory, and tidied (`a/../b` is `b`).
    public func absolutePath(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : "\(currentDirectory)/\(path)"
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// A fallback for a state directory: systemd's `STATE_DIRECTORY` under a unit, else `path`.
    public static func stateDirectory(else path: String) -> (SettingsContext) -> SettingValue? {
        { $0.systemdDirectory("STATE_DIRECTORY") ?? SettingValue(path, origin: .default) }
    }

    /// The first directory of a systemd directory variable (`STATE_DIRECTORY=/var/lib/loa:/var/lib/other`).
    public func systemdDirectory(_ name: String) -> SettingValue? {
        guard let value = environment[name], let first = value.split(separator: ":").first else { return nil }
        return SettingValue(String(first), origin: .environment(name))
    }
}
