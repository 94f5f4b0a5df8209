import AsyncHTTPClient
import Foundation
import NIOCore

/// The CLI's only way to the daemon: JSON over its HTTP API. Commands never open the store themselves.
struct DaemonClient: Sendable {
    let baseURL: URL
    /// The daemon's control socket, tried first when set: it serves health, airing, stopping and volume even
    /// while the TCP API is saturated. The TCP API is used when it cannot be reached.
    var controlSocket: String?
    var timeout: TimeInterval = 5
    /// A whole fleet's `loa receivers --json` is a few MB; anything far larger is not Loa's API.
    static let largestReply = 256 << 20

    /// A reply: the HTTP status and the raw JSON body.
    struct Reply: Sendable {
        let status: Int
        let body: Data
        /// The cursor of a listing's next page, from its `Link: <…after=CURSOR>; rel="next"` header.
        var next: String?

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
        method: String,
        path: String,
        query: [String: String?] = [:],
        body: Data?,
        user: String? = nil,
        contentType: String = "application/json",
        headers: [String: String] = [:]
    ) async throws(Unreachable) -> Reply {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
        if !items.isEmpty { components.queryItems = items.sorted { $0.name < $1.name } }
        let url = components.url!.absoluteString
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        if let user { request.headers.add(name: "X-Loa-User", value: user) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let controlSocket, let socketURL = Self.overSocket(controlSocket, url: components) {
            var overSocket = request
            overSocket.url = socketURL
            if let reply = try? await execute(overSocket, url: socketURL) { return reply }
        }
        return try await execute(request, url: url)
    }

    private func execute(_ request: HTTPClientRequest, url: String) async throws(Unreachable) -> Reply {
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let data = try await response.body.collect(upTo: Self.largestReply)
            return Reply(
                status: Int(response.status.code),
                body: Data(data.readableBytesView),
                next: response.headers["Link"].lazy.compactMap(Self.nextCursor(link:)).first
            )
        } catch {
            throw Unreachable(url: url, reason: String(describing: error))
        }
    }

    /// The `after` cursor of a `Link` header's `rel="next"` target, if it has one.
    static func nextCursor(link: String) -> String? {
        for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close else {
                continue
            }
            let target = URLComponents(string: String(part[part.index(after: open)..<close]))
            if let after = target?.queryItems?.first(where: { $0.name == "after" })?.value { return after }
        }
        return nil
    }

    /// The same request's URL through a Unix socket (AsyncHTTPClient's `http+unix://` scheme, the socket's
    /// path percent-encoded as the host).
    static func overSocket(_ socket: String, url components: URLComponents) -> String? {
        guard let host = socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return nil }
        let query = components.percentEncodedQuery.map { "?\($0)" } ?? ""
        return "http+unix://\(host)\(components.percentEncodedPath)\(query)"
    }
}
