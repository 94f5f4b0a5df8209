/// Where browser sessions are kept between requests and restarts: a key-value store with expiry. Keys arrive
/// hashed; values are the session's JSON.
public protocol WebSessionStoring: Sendable {
    func setSession(key: String, value: Data, expiresAt: Date?) throws
    /// The session under `key` and when it expires, unless it has expired by `now`.
    func session(key: String, now: Date) throws -> (value: Data, expiresAt: Date?)?
    func removeSession(key: String) throws
}
