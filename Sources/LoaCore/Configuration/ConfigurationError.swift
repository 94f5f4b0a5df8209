/// A setting that cannot be used, with what is wrong and how to fix it.
///
/// `location` is `file:line` when the value came from a config file, so the operator can go straight there.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String?
    public var problem: String
    public var location: String?

    /// Where the bad value came from; it decides the exit code (64 for a flag, 78 for a config file).
    public enum Origin: Sendable, Hashable {
        case commandLine
        case configFile
    }

    public var origin: Origin

    public init(key: String, value: String? = nil, problem: String, location: String? = nil, origin: Origin? = nil) {
        self.key = key
        self.value = value
        self.problem = problem
        self.location = location
        self.origin = origin ?? (location == nil ? .commandLine : .configFile)
    }

    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        if let value {
            return "\(prefix)\(key) '\(value)' \(problem)"
        }
        return "\(prefix)\(key) \(problem)"
    }
}
