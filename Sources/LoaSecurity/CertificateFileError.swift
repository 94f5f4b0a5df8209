/// A certificate or key file that cannot be used: which file, what is wrong with it, and what to do.
///
/// The TLS listener is how receivers reach the broker, so every refusal says which file to look at and how
/// to put it right, rather than leaving a technician to guess from an OpenSSL error in mosquitto's log.
public struct CertificateFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file at fault; nil when the fault is in the request (a server name that is not valid, say).
    public let path: String?
    public let problem: String
    public let fix: String

    public init(path: String?, problem: String, fix: String) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        if let path { return "'\(path)' \(problem); \(fix)" }
        return "\(problem); \(fix)"
    }
}
