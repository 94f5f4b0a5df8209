import LoaCore

/// The settings given on a command line as `--key value` or `--key=value`, checked against the declared
/// flags: the command-line layer of a ``SettingsReader``, like swift-configuration's command-line provider.
/// Anything else (an unknown flag, a flag without its value, a bare word) is a usage error, exit 64.
public struct CommandLineValues: Sendable {
    public private(set) var values: [String: SettingValue] = [:]

    /// Reads `arguments` (without the command's own name) against `flags`, the keys that may be given.
    public init(_ arguments: [String], flags: Set<String>, command: String) throws(ConfigurationError) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ConfigurationError(
                    key: argument,
                    problem: "is not an option of \(command); `\(command) --help` lists them",
                    origin: .commandLine
                )
            }
            let body = argument.dropFirst(2)
            let name: String
            let text: String
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                text = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                guard flags.contains(name) else { throw Self.unknown(name, command: command) }
                guard index < arguments.endIndex else {
                    throw ConfigurationError(
                        key: "--\(name)",
                        problem: "needs a value; `\(command) --help` shows what it takes",
                        origin: .commandLine
                    )
                }
                text = arguments[index]
                index += 1
            }
            guard flags.contains(name) else { throw Self.unknown(name, command: command) }
            values[name, default: SettingValue(texts: [], origin: .flag("--\(name)"), key: name)].texts.append(text)
        }
    }

    static func unknown(_ name: String, command: String) -> ConfigurationError {
        ConfigurationError(
            key: "--\(name)",
            problem: "is not an option of \(command); `\(command) --help` lists them",
            origin: .commandLine
        )
    }
}
