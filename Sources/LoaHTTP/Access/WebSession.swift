import Foundation
import HummingbirdAuth

/// A browser's signed-in session, kept server-side (the cookie holds only its random id).
public struct WebSession: Codable, Sendable, Hashable {
    public var user: String
    /// The synchronizer token every change made with this session's cookie must carry in `X-CSRF-Token`.
    public var csrf: String
    /// When it was signed in: a session ends `lifetime` after this however active it is.
    public var createdAt: Date

    public init(user: String, csrf: String, createdAt: Date) {
        self.user = user
        self.csrf = csrf
        self.createdAt = createdAt
    }
}

/// How long sessions last: `idle` since the last request, and `lifetime` since sign-in at most.
public struct SessionPolicy: Sendable, Hashable {
    public var idle: Duration
    public var lifetime: Duration

    public init(idle: Duration = .seconds(30 * 60), lifetime: Duration = .seconds(12 * 3_600)) {
        self.idle = idle
        self.lifetime = lifetime
    }

    /// The session cookie: sent only over HTTPS (or to localhost), never readable by scripts, and never sent
    /// with a request another site starts.
    static let cookie = SessionCookieParameters(name: "loa_session", path: "/", secure: true, sameSite: .strict)
}
