import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The CLI's only way to the daemon: JSON over its HTTP API. Commands never open the store themselves.
struct DaemonClient: Sendable {
    let baseURL: URL
    var timeout: TimeInterval = 5

    /// A reply: the HTTP status and the raw JSON body.
    struct Reply: Sendable {
        let status: Int
        let body: Data

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: body)
        }
    }

    /// The daemon could not be reached, or answered with something that is not Loa's API.
    struct Unreachable: Error, CustomStringConvertible {
        let url: String
        let reason: String
        var description: String { "cannot reach loa serve at \(url): \(reason)" }
    }

    func get(_ path: String, query: [String: String?] = [:]) async throws(Unreachable) -> Reply {
        try await send(method: "GET", path: path, query: query, body: nil)
    }

    func send(
        method: String, path: String, query: [String: String?] = [:], body: Data?, user: String? = nil,
        contentType: String = "application/json", headers: [String: String] = [:]
    ) async throws(Unreachable) -> Reply {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
        if !items.isEmpty { components.queryItems = items.sorted { $0.name < $1.name } }
        let url = components.url!
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let user { request.setValue(user, forHTTPHeaderField: "X-Loa-User") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw Unreachable(url: url.absoluteString, reason: "not an HTTP response")
            }
            return Reply(status: http.statusCode, body: data)
        } catch let error as Unreachable {
            throw error
        } catch {
            let nsError = error as NSError
            let reason = (nsError.userInfo[NSLocalizedDescriptionKey] as? String) ?? "\(error)"
            throw Unreachable(url: url.absoluteString, reason: reason)
        }
    }
}
