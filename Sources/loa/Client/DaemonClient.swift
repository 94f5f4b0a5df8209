import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// The CLI's only way to the daemon: JSON over its HTTP API. Commands never open the store themselves.
///
/// Over TCP a request carries the token of `loa login` (`Authorization: Bearer`), and an `https://` daemon is
/// trusted through the system's roots and the CA saved with that login. Over the daemon's API socket (local
/// trust: root and the loa group) no token is needed, and nothing falls back to TCP.
struct DaemonClient: Sendable {
    let baseURL: URL
    /// The daemon's API socket: when set, every request goes over it.
    var apiSocket: String?
    /// The API token sent over TCP.
    var token: String?
    /// A CA (PEM) trusted for `https://` besides the system's roots.
    var caPEM: String?
    /// The daemon's control socket, tried first when set: it serves health, airing, stopping and volume even
    /// while the TCP API is saturated. The TCP API is used when it cannot be reached.
    var controlSocket: String?
    var timeout: TimeInterval = 5
    /// A whole fleet's `loa receivers --json` is a few MB; anything far larger is not Loa's API.
    static let largestReply = 256 << 20

    init(baseURL: URL, apiSocket: String? = nil, token: String? = nil, caPEM: String? = nil) {
        self.baseURL = baseURL
        self.apiSocket = apiSocket
        self.token = token
        self.caPEM = caPEM
    }

    /// The client for `endpoint`: its URL with the token and CA saved for it, or its API socket.
    init(endpoint: DaemonEndpoint) {
        switch endpoint {
        case .url(let url, let saved):
            self.init(baseURL: URL(string: url)!, token: saved?.token, caPEM: saved?.caPEM)
        case .apiSocket(let path):
            self.init(baseURL: URL(string: "http://localhost")!, apiSocket: path)
        }
    }

    /// A reply: the HTTP status and the raw JSON body.
    struct Reply: Sendable {
        let status: Int
        let body: Data
        /// The cursor of a listing's next page, from its `Link: <…after=CURSOR>; rel="next"` header.
        var next: String?
        /// Seconds to wait before trying again, from a `Retry-After` header (a throttled sign-in).
        var retryAfter: Int?

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
        let (routed, shown) = route(request, components: components)
        return try await execute(routed, url: shown)
    }

    /// `request` (for `components`) as it goes to the daemon: over the API socket, or over TCP with the token.
    /// Also the daemon's name in messages: the URL, or the socket's path.
    func route(_ request: HTTPClientRequest, components: URLComponents) -> (HTTPClientRequest, shown: String) {
        var request = request
        if let apiSocket, let socketURL = Self.overSocket(apiSocket, url: components) {
            request.url = socketURL
            return (request, apiSocket)
        }
        if let token { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)") }
        return (request, request.url)
    }

    private func execute(_ request: HTTPClientRequest, url: String) async throws(Unreachable) -> Reply {
        do {
            return try await withHTTPClient { client in
                let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                let data = try await response.body.collect(upTo: Self.largestReply)
                return Reply(
                    status: Int(response.status.code),
                    body: Data(data.readableBytesView),
                    next: response.headers["Link"].lazy.compactMap(Self.nextCursor(link:)).first,
                    retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0) }
                )
            }
        } catch {
            throw Unreachable(url: url, reason: String(describing: error))
        }
    }

    /// Runs `body` with the HTTP client for this daemon: the shared one, or for an `https://` daemon with a
    /// saved CA one that trusts it besides the system's roots, shut down afterwards.
    func withHTTPClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        guard apiSocket == nil, let caPEM, baseURL.scheme == "https" else { return try await body(.shared) }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .default
        tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))]
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.tlsConfiguration = tls
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
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
