import LoaCore

/// Resolves a binary's declared settings from its layers, the way swift-configuration's `ConfigReader` reads
/// its providers: a flag wins over the config file named by `--config`, which wins over each setting's
/// fallback (the environment, the machine), which wins over the settings type's own defaults.
///
/// Every value keeps its ``SettingValue/Origin``, so an error names the flag (exit 64) or the file and line
/// (exit 78), and checks made later (a password file that cannot be read) can still name the line.
public struct SettingsReader<Settings> {
    /// The command, as an operator types it (`loa serve`), for messages.
    public let command: String
    public let declarations: [Setting<Settings>]

    /// The settings, and where each given value came from.
    public struct Resolved {
        public var settings: Settings
        /// The origin of every setting that was given or fell back, by key.
        public var origins: [String: SettingValue.Origin]
        /// The config file read, if `--config` named one.
        public var configFile: String?

        /// `error`, blamed on where `key`'s value came from; on the config file when it names none.
        public func blame(_ error: ConfigurationError, on key: String) -> ConfigurationError {
            if let origin = origins[key] { return SettingValue(texts: [], origin: origin).blame(error) }
            guard let configFile else { return error }
            return SettingValue(texts: [], origin: .file(configFile)).blame(error)
        }
    }

    /// The flag that names the config file; every binary has it.
    public static var configFlag: String { "config" }

    public init(command: String, declarations: [Setting<Settings>]) {
        self.command = command
        self.declarations = declarations
    }

    /// Resolves `arguments` (the command line after the command's name), the config file they name, and the
    /// fallbacks, over `defaults`.
    public func resolve(
        _ defaults: Settings,
        arguments: [String],
        context: SettingsContext
    ) throws(ConfigurationError) -> Resolved {
        let flagKeys = Set(declarations.filter(\.isFlag).map(\.key)).union([Self.configFlag])
        let flags = try CommandLineValues(arguments, flags: flagKeys, command: command).values
        let file = try flags[Self.configFlag].map { (value) throws(ConfigurationError) in
            try ConfigFileValues(path: value.text, keys: declarations.map { ($0.key, $0.kind) })
        }
        var resolved = Resolved(settings: defaults, origins: [:], configFile: file?.path)
        for declaration in declarations {
            guard
                var value = flags[declaration.key] ?? file?.values[declaration.key]
                    ?? declaration.fallback?(context)
            else { continue }
            value.key = declaration.key
            resolved.origins[declaration.key] = value.origin
            do {
                try declaration.apply(&resolved.settings, value, context)
            } catch {
                throw value.blame(error)
            }
        }
        return resolved
    }

    /// The settings as `--help` lists them: every flag, then the keys only the config file may hold. Each
    /// entry's help is wrapped and indented here, under 80 columns, so ArgumentParser leaves it as it is.
    public var helpText: String {
        let visible = declarations.filter { !$0.isHidden }
        func entry(_ name: String, _ valueName: String, _ help: String) -> [String] {
            var lines = ["  \(name) <\(valueName.lowercased())>"]
            var line = "       "
            for word in help.split(separator: " ") {
                if line.count + word.count + 1 > 78 {
                    lines.append(line)
                    line = "       "
                }
                line += " \(word)"
            }
            return lines + [line]
        }
        var lines = ["Settings (each can also be set in the --config file under the same name; the flag wins):"]
        lines += entry("--\(Self.configFlag)", "file", "A YAML config file.")
        lines += visible.filter(\.isFlag).flatMap { entry("--\($0.key)", $0.valueName, $0.help) }
        let fileOnly = visible.filter { !$0.isFlag }
        if !fileOnly.isEmpty {
            lines += ["", "Config file only (kept off the command line, which `ps` shows):"]
            lines += fileOnly.flatMap { entry("\($0.key):", $0.valueName, $0.help) }
        }
        return lines.joined(separator: "\n")
    }
}
