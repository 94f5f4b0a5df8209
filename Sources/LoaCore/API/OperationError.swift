/// Why an operator's request was refused, in words for the operator. The HTTP API maps `kind` to a status,
/// the CLI to an exit code.
public struct OperationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The request itself is wrong (a time that does not exist, an unknown zone).
        case invalid
        /// It clashes with something already there (a same-priority item at the same time).
        case conflict
        /// Who is asking is not known: no credentials, or wrong ones.
        case unauthenticated
        /// The user may not do this (approve, air at once).
        case forbidden
        /// Too many failed sign-ins: try again after ``OperationError/retryAfter``.
        case throttled
        case notFound
        /// The daemon cannot do it now (the store failed).
        case unavailable
        /// An upload over the size limit.
        case tooLarge
        /// An upload that is not an audio format Loa reads.
        case unsupportedMedia
        /// The state dir's disk cannot hold it.
        case insufficientStorage
    }

    public var kind: Kind
    public var message: String
    /// For `throttled`: how long until the next attempt may succeed.
    public var retryAfter: Duration?

    public init(_ kind: Kind, _ message: String, retryAfter: Duration? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }
}
