import LoaCore
import Logging

extension SettingValue {
    /// The value as a number within `range`; the message names the unit and the range.
    public func number<T: Comparable & LosslessStringConvertible>(
        in range: ClosedRange<T>,
        unit: String
    ) throws(ConfigurationError) -> T {
        guard let value = T(text.trimmingWhitespace()), range.contains(value) else {
            throw ConfigurationError(
                key: key,
                value: text,
                problem: "must be \(unit) from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// The value as a switch: `on`/`off` (also `true`/`false`, `yes`/`no`), as YAML and flags write it.
    public func onOff() throws(ConfigurationError) -> Bool {
        switch text.trimmingWhitespace().lowercased() {
        case "on", "true", "yes": return true
        case "off", "false", "no": return false
        default: throw ConfigurationError(key: key, value: text, problem: "must be on or off")
        }
    }
}

extension Logger.Level {
    /// A `log-level` setting: one of swift-log's level names.
    public init(setting value: SettingValue) throws(ConfigurationError) {
        guard let level = Logger.Level(rawValue: value.text) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(
                key: "log-level",
                value: value.text,
                problem: "is not a log level; use one of \(levels)"
            )
        }
        self = level
    }
}

extension Setting {
    /// `log-level`, as every binary declares it.
    public static func logLevel(_ keyPath: WritableKeyPath<Settings, Logger.Level>) -> Setting {
        Setting(
            "log-level",
            keyPath,
            valueName: "LEVEL",
            help: "trace, debug, info, notice, warning, error or critical (default info)."
        ) { value, _ throws(ConfigurationError) in try Logger.Level(setting: value) }
    }
}
