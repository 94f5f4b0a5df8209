import Foundation

/// Where the CLI sends its API requests, and with what credentials.
enum DaemonEndpoint: Equatable, CustomStringConvertible {
    /// The API over TCP (HTTP on loopback, HTTPS elsewhere), with the token saved for it, if any.
    case url(String, saved: SavedCredentials.Site?)
    /// The daemon's API socket on this machine: local trust, no token.
    case apiSocket(String)

    /// The API socket's path when `LOA_SOCKET` does not name one.
    static let standardSocket = "/run/loa/api.sock"
    /// Where `loa serve` run in this directory without a state dir puts its socket (`./.loa`).
    static let workingDirectorySocket = ".loa/api.sock"
    /// The URL when nothing else says where the daemon is.
    static let standardURL = "http://127.0.0.1:8080"

    /// Chooses the daemon, first found first:
    /// 1. an explicit `--url`, else `LOA_URL`: that URL, with the token saved for it if there is one;
    /// 2. the API socket, when it exists (`LOA_SOCKET`, else `/run/loa/api.sock`, else `./.loa/api.sock` of a
    ///    `loa serve` run here): no token needed;
    /// 3. the site of the last `loa login`, with its token;
    /// 4. `http://127.0.0.1:8080`.
    static func resolve(
        url: String?,
        environment: [String: String],
        saved: SavedCredentials,
        socketExists: (String) -> Bool
    ) -> DaemonEndpoint {
        if let given = url ?? environment["LOA_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return .url(given, saved: saved.site(for: given))
        }
        let sockets =
            environment["LOA_SOCKET"].flatMap { $0.isEmpty ? nil : [$0] }
            ?? [standardSocket, workingDirectorySocket]
        if let socket = sockets.first(where: socketExists) { return .apiSocket(socket) }
        if let current = saved.current { return .url(current.url, saved: current) }
        return .url(standardURL, saved: nil)
    }

    /// The daemon, as messages name it: its URL, or the socket's path.
    var description: String {
        switch self {
        case .url(let url, _): url
        case .apiSocket(let path): path
        }
    }

    /// Whether the daemon is on this machine, so its control socket is the one to try.
    var isLocal: Bool {
        switch self {
        case .apiSocket: true
        case .url(let url, _):
            URL(string: url)?.host.map { ["127.0.0.1", "localhost", "::1", "[::1]"].contains($0) } ?? false
        }
    }
}
