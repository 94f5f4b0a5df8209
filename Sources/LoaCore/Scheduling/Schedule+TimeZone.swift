import Foundation

extension Schedule {
    /// The time zone for an IANA id such as `Asia/Ho_Chi_Minh` or `Europe/Berlin`.
    ///
    /// Accepts whatever Foundation knows (`UTC` and links like `Asia/Saigon` too). An unknown id throws,
    /// suggesting the correctly spelled id when only its case is wrong.
    public static func parseTimeZone(_ identifier: String) throws(ConfigurationError) -> TimeZone {
        if !identifier.isEmpty, let zone = TimeZone(identifier: identifier) { return zone }
        let lowered = identifier.lowercased()
        let hint =
            TimeZone.knownTimeZoneIdentifiers.first { $0.lowercased() == lowered }.map { "; did you mean \($0)?" }
            ?? "; use an IANA name such as \(defaultTimeZone) or Europe/Berlin"
        throw ConfigurationError(key: "time zone", value: identifier, problem: "is not a known time zone" + hint)
    }

    /// This schedule's `timeZone`, resolved.
    public func resolvedTimeZone() throws(ConfigurationError) -> TimeZone {
        try Self.parseTimeZone(timeZone)
    }
}
