import Foundation
import Hummingbird
import HummingbirdAuth
import LoaCore

/// Signing in and out, accounts, tokens and the audit log:
///
/// - `POST /api/v1/login` → a token for `loa login`; `DELETE /api/v1/login` revokes the token it is called with;
/// - `POST /api/v1/session` → a browser session (cookie, CSRF token); `GET` shows it; `DELETE` signs out;
/// - `GET|POST /api/v1/users`, `PATCH|DELETE /api/v1/users/{name}`: `loa users`;
/// - `GET|POST /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`: `loa tokens`;
/// - `GET /api/v1/audit?since=&user=&limit=`: `loa audit`.
public struct AccountController: Sendable {
    let accounts: any AccountManaging
    let sessions: SessionPolicy

    public init(accounts: any AccountManaging, sessions: SessionPolicy) {
        self.accounts = accounts
        self.sessions = sessions
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        let api = router.group("api/v1")
        api.post("login") { request, context in
            let body = try await request.decodeJSON(SignInRequest.self, limit: 4_096)
            let issued = try await refusing {
                let caller = try await accounts.verify(user: body.user, password: body.password, from: context.origin)
                let label = String((body.label ?? "loa login").prefix(100))
                return try await accounts.issueToken(TokenRequest(scope: .full, label: label), by: caller)
            }
            return JSONBody(
                value: SignInReply(token: issued.token, user: issued.info.account, role: issued.role),
                status: .created
            )
        }
        api.delete("login") { _, context in
            let caller = try context.requireCaller()
            guard let id = caller.tokenID else {
                throw HTTPError(.badRequest, message: "sign out with the token `loa login` gave; this request has none")
            }
            try await refusing { try await accounts.revokeToken(id: id, by: caller) }
            return Response(status: .noContent)
        }
        api.post("session") { request, context in
            // Only a script may send JSON across sites after a preflight Loa never grants: a form on another
            // site cannot sign a browser in to an account of the attacker's.
            guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
                throw HTTPError(
                    .unsupportedMediaType,
                    message: "sign in with a JSON body (Content-Type: application/json)"
                )
            }
            let body = try await request.decodeJSON(SignInRequest.self, limit: 4_096)
            let caller = try await refusing {
                try await accounts.verify(user: body.user, password: body.password, from: context.origin)
            }
            let session = WebSession(user: caller.name, csrf: Self.randomToken(), createdAt: Date())
            context.sessions.createSession(session, expiresIn: sessions.idle)
            return JSONBody(
                value: SignInReply(user: caller.name, role: caller.role ?? .technician, csrfToken: session.csrf),
                status: .created
            )
        }
        api.get("session") { _, context in
            guard let session = context.sessions.session else {
                throw HTTPError(.notFound, message: "this request has no browser session")
            }
            let caller = try context.requireCaller()
            return JSONBody(
                value: SignInReply(user: session.user, role: caller.role ?? .technician, csrfToken: session.csrf)
            )
        }
        api.delete("session") { _, context in
            let caller = try context.requireCaller()
            guard context.sessions.session != nil else {
                throw HTTPError(.notFound, message: "this request has no browser session")
            }
            context.sessions.clearSession()
            await accounts.audit("session.end", subject: nil, by: caller)
            return Response(status: .noContent)
        }
        addAccountRoutes(to: api)
    }

    private func addAccountRoutes(to api: RouterGroup<LoaRequestContext>) {
        api.get("users") { _, context in
            let caller = try context.requireCaller()
            return JSONBody(value: try await refusing { try await accounts.users(by: caller) })
        }
        api.post("users") { request, context in
            let caller = try context.requireCaller()
            let change = try await request.decodeJSON(UserChange.self, limit: 4_096)
            return JSONBody(
                value: try await refusing { try await accounts.addUser(change, by: caller) },
                status: .created
            )
        }
        api.patch("users/:name") { request, context in
            let caller = try context.requireCaller()
            let name = try context.parameters.require("name")
            let change = try await request.decodeJSON(UserChange.self, limit: 4_096)
            return JSONBody(value: try await refusing { try await accounts.changeUser(name, change, by: caller) })
        }
        api.delete("users/:name") { _, context in
            let caller = try context.requireCaller()
            let name = try context.parameters.require("name")
            try await refusing { try await accounts.removeUser(name, by: caller) }
            return Response(status: .noContent)
        }
        api.get("tokens") { _, context in
            let caller = try context.requireCaller()
            return JSONBody(value: try await refusing { try await accounts.tokens(by: caller) })
        }
        api.post("tokens") { request, context in
            let caller = try context.requireCaller()
            let body = try await request.decodeJSON(TokenRequest.self, limit: 4_096)
            return JSONBody(
                value: try await refusing { try await accounts.issueToken(body, by: caller) },
                status: .created
            )
        }
        api.delete("tokens/:id") { _, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.require("id")
            try await refusing { try await accounts.revokeToken(id: id, by: caller) }
            return Response(status: .noContent)
        }
        api.get("audit") { request, context in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            let since = try query.get("since").map { text in
                guard let date = try? Date(text, strategy: .iso8601) else {
                    throw HTTPError(
                        .badRequest,
                        message: "since '\(text)' is not an ISO 8601 time, e.g. 2026-12-06T08:00:00Z"
                    )
                }
                return date
            }
            let limit = min(max(query.get("limit", as: Int.self) ?? 100, 1), 10_000)
            let user = query.get("user")
            return JSONBody(
                value: try await refusing {
                    try await accounts.auditLog(since: since, user: user, limit: limit, by: caller)
                }
            )
        }
    }

    /// 32 random bytes, base64url: a CSRF token.
    static func randomToken() -> String {
        Data.random(count: 32).base64URLEncodedString()
    }
}
