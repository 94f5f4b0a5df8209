import Foundation
import HTTPTypes
import Hummingbird
import LoaCore

/// Decides who each request comes from, before any route runs:
///
/// - over the API socket (root and the `loa` group only), the local administrator, or the account `--as`
///   names (`X-Loa-User`), with that account's role;
/// - over TCP, an API token (`Authorization: Bearer`), or a browser session's cookie, whose changes must
///   carry the session's CSRF token; `X-Loa-User` grants nothing there;
/// - without either, only the open routes (``openRoutes``) answer; everything else is 401, but for the web
///   console's pages: its way in, sign-in page and files are open (`ConsolePaths.openRoutes`), and its other
///   pages send a browser without a valid session to sign in (303 to `/dang-nhap`) instead.
///
/// A token's scope is enforced here too (`health` reaches only `/healthz` and `/metrics`; `read` only reads);
/// what a role may change is the domain's to decide (`Caller.require`).
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = LoaRequestContext

    let accounts: any AccountManaging
    let sessions: SessionPolicy
    let now: @Sendable () -> Date

    /// What answers without credentials: the detail-free health check and the two ways to sign in.
    static let openRoutes: Set<String> = ["GET /healthz", "POST /api/v1/login", "POST /api/v1/session"]
    /// Signing in needs no credentials, and whatever stale ones a client still sends are not checked.
    static let signInRoutes: Set<String> = ["POST /api/v1/login", "POST /api/v1/session"]
    /// What a `health` token reaches.
    static let healthRoutes: Set<String> = ["GET /healthz", "GET /metrics"]

    public init(accounts: any AccountManaging, sessions: SessionPolicy, now: @escaping @Sendable () -> Date = Date.init)
    {
        self.accounts = accounts
        self.sessions = sessions
        self.now = now
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        switch context.transport {
        case .socket:
            context.caller = try await socketCaller(request, context: context)
        case .network(let address):
            let route = Self.route(of: request)
            let page = ConsolePaths.isSignedInPage(route)
            if page || ConsolePaths.openRoutes.contains(route) {
                // A page for a browser: missing, stale or ended credentials show the way to sign in, never a 401.
                context.caller = try? await networkCaller(request, context: context, address: address)
                if context.caller == nil, page {
                    return .redirect(to: ConsolePaths.signIn, type: .normal)
                }
            } else {
                context.caller = try await networkCaller(request, context: context, address: address)
            }
        }
        if let caller = context.caller { try Self.checkScope(of: caller, for: request) }
        return try await next(request, context)
    }

    private func socketCaller(_ request: Request, context: Context) async throws -> Caller {
        let unixUser = await PeerCredentials.unixUser(of: context.channel)
        guard let name = request.headers[.loaUser], !name.isEmpty else {
            return .localAdministrator(unixUser: unixUser)
        }
        do {
            return try await accounts.caller(forAccount: name, from: .socket(unixUser: unixUser))
        } catch {
            throw error.httpError
        }
    }

    private func networkCaller(_ request: Request, context: Context, address: String) async throws -> Caller? {
        if Self.signInRoutes.contains(Self.route(of: request)) { return nil }
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer "),
                let caller = await accounts.caller(
                    forToken: String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces),
                    from: .address(address)
                )
            else {
                throw Self.unauthorized("the token is unknown, expired or revoked; sign in again with `loa login`")
            }
            return caller
        }
        if let session = context.sessions.session {
            return try await sessionCaller(session, request: request, context: context, address: address)
        }
        guard Self.openRoutes.contains(Self.route(of: request)) else {
            throw Self.unauthorized("sign in first: `loa login --url …`, or send a token in Authorization: Bearer")
        }
        return nil
    }

    private func sessionCaller(
        _ session: WebSession,
        request: Request,
        context: Context,
        address: String
    ) async throws -> Caller {
        let age = now().timeIntervalSince(session.createdAt)
        // One read says both who it is and that the account may still act (not removed, not disabled).
        guard age < sessions.lifetime.timeInterval,
            let caller = try? await accounts.caller(forAccount: session.user, from: .address(address))
        else {
            context.sessions.clearSession()
            throw Self.unauthorized("the session has ended; sign in again")
        }
        if ![.get, .head].contains(request.method) {
            guard let sent = request.headers[.csrfToken], ConstantTime.equal(sent, session.csrf) else {
                throw HTTPError(.forbidden, message: "this change lacks its CSRF token (X-CSRF-Token); reload the page")
            }
        }
        // Each request restarts the idle timer; written only once a tenth of it has passed, so that a busy
        // console costs a write every few minutes, not one per request.
        context.sessions.withLockedSession { data in
            let left = data?.expiresIn ?? .zero
            if left < sessions.idle - sessions.idle / 10 { data?.expiresIn = sessions.idle }
        }
        return caller
    }

    static func checkScope(of caller: Caller, for request: Request) throws {
        guard let scope = caller.scope, scope != .full else { return }
        let route = route(of: request)
        let allowed =
            switch scope {
            case .health: healthRoutes.contains(route)
            case .read: [.get, .head].contains(request.method)
            case .full: true
            }
        guard allowed else {
            throw HTTPError(
                .forbidden,
                message: "a \(scope.rawValue) token may not \(route); use a token with a wider scope"
            )
        }
    }

    static func route(of request: Request) -> String { "\(request.method) \(request.uri.path)" }

    static func unauthorized(_ message: String) -> HTTPError {
        OperationError(.unauthenticated, message).httpError
    }
}

extension HTTPField.Name {
    /// A browser session's CSRF token, on every change made with its cookie.
    static let csrfToken = Self("X-CSRF-Token")!
}
