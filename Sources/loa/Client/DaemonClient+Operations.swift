import Foundation
import LoaCore

/// Typed calls for the operator commands: JSON in and out, and the daemon's refusals turned into one-line
/// errors with sysexits codes.
extension DaemonClient {
    func call<Response: Decodable>(
        _ method: String,
        _ path: String,
        query: [String: String?] = [:],
        body: (some Encodable)? = Optional<String>.none,
        user: String? = nil,
        headers: [String: String] = [:],
        as type: Response.Type
    ) async throws -> Response {
        let reply = try await raw(method, path, query: query, body: body, user: user, headers: headers)
        do {
            return try APICoding.decoder().decode(Response.self, from: reply.body)
        } catch {
            throw CommandFailure(
                message: "loa serve answered \(path) with something unexpected: \(error)",
                exitCode: Sysexits.unavailable
            )
        }
    }

    /// Every item of a paged listing (`GET`), following its `rel="next"` links; with `limit`, at most that many.
    func callAll<Item: Decodable>(
        _ path: String,
        query: [String: String?] = [:],
        limit: Int? = nil,
        as type: Item.Type
    ) async throws -> [Item] {
        var items: [Item] = []
        var query = query
        while true {
            if let limit { query["limit"] = String(min(PageRequest.maximumLimit, limit - items.count)) }
            let reply = try await raw("GET", path, query: query)
            do {
                items += try APICoding.decoder().decode([Item].self, from: reply.body)
            } catch {
                throw CommandFailure(
                    message: "loa serve answered \(path) with something unexpected: \(error)",
                    exitCode: Sysexits.unavailable
                )
            }
            guard let next = reply.next, limit.map({ items.count < $0 }) ?? true else {
                return limit.map { Array(items.prefix($0)) } ?? items
            }
            query["after"] = next
        }
    }

    /// Sends a request and checks its status; returns the successful reply.
    func raw(
        _ method: String,
        _ path: String,
        query: [String: String?] = [:],
        body: (some Encodable)? = Optional<String>.none,
        user: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        let data = try body.map { try APICoding.encoder().encode($0) }
        let reply: Reply
        do {
            reply = try await send(method: method, path: path, query: query, body: data, user: user, headers: headers)
        } catch {
            throw CommandFailure(message: error.description, exitCode: Sysexits.unavailable)
        }
        try Self.check(reply)
        return reply
    }

    /// Turns an error status into the daemon's one-line reason and an exit code.
    static func check(_ reply: Reply) throws {
        guard !(200..<300).contains(reply.status) else { return }
        let message =
            (try? JSONDecoder().decode(APIErrorBody.self, from: reply.body))?.error
            ?? "loa serve answered HTTP \(reply.status)"
        let code: Int32 =
            switch reply.status {
            case 400, 404, 413, 415, 422: Sysexits.usage
            case 409: Sysexits.data
            case 401, 403: Sysexits.noPermission
            case 429: Sysexits.tempFail
            default: Sysexits.unavailable
            }
        throw CommandFailure(message: message, exitCode: code)
    }
}
