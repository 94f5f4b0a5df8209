extension Schedule {
    /// The time zone for an IANA id such as `Asia/Ho_Chi_Minh` or `Europe/Berlin`.
    ///
    /// Accepts whatever Foundation knows (`UTC` and links like `Asia/Saigon` too). An unknown id throws,
    /// suggesting the correctly spelled id when only its case is wrong.
    public static func parseTimeZone(_ identifier: String) throws(ConfigurationError) -> TimeZone {
        if !identifier.isEmpty, let zone = TimeZone(identifier: identifier) { return zone }
        let lowered = identifier.lowercased()
        let hint =
            knownTimeZoneIdentifiers().first { $0.lowercased() == lowered }.map { "; did you mean \($0)?" }
            ?? "; use an IANA name such as \(defaultTimeZone) or Europe/Berlin"
        throw ConfigurationError(key: "time zone", value: identifier, problem: "is not a known time zone" + hint)
    }

    /// The IANA ids in the system's time zone database, for the hint: the files under `/usr/share/zoneinfo`
    /// (where Foundation's own list comes from on Linux), without its `posix/` and `right/` copies.
    static func knownTimeZoneIdentifiers() -> [String] {
        let database = "/usr/share/zoneinfo"
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: database)) ?? []
        return paths.filter { path in
            guard let first = path.first, first.isUppercase, !path.hasPrefix("posix"), !path.hasPrefix("right") else {
                return false
            }
            var isDirectory = false
            return FileManager.default.fileExists(atPath: "\(database)/\(path)", isDirectory: &isDirectory)
                && !isDirectory
        }
    }

    /// This schedule's `timeZone`, resolved.
    public func resolvedTimeZone() throws(ConfigurationError) -> TimeZone {
        try Self.parseTimeZone(timeZone)
    }
}
