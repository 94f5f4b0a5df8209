import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The options of every command that talks to `loa serve` through its HTTP API.
struct DaemonOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The daemon's API URL (also LOA_URL; default: the API socket, else the site of the last loa login, "
                + "else http://127.0.0.1:8080).",
            valueName: "URL"
        )
    )
    var url: String?

    func validate() throws {
        guard let url = url ?? ProcessInfo.processInfo.environment["LOA_URL"], !url.isEmpty else { return }
        try Self.check(url: url)
    }

    static func check(url: String, option: String = "--url") throws {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw ValidationError("\(option) '\(url)' is not an http:// or https:// URL, e.g. https://gateway:8443")
        }
    }

    /// The daemon these options choose (``DaemonEndpoint/resolve(url:environment:saved:socketExists:)``). A
    /// credentials file that cannot be read counts as no login.
    var endpoint: DaemonEndpoint {
        DaemonEndpoint.resolve(
            url: url,
            environment: ProcessInfo.processInfo.environment,
            saved: (try? SavedCredentials.Store.standard().load()) ?? SavedCredentials(),
            // One the user may not connect to (not root, not in the loa group) is as good as none.
            socketExists: { access($0, W_OK) == 0 }
        )
    }

    var client: DaemonClient { DaemonClient(endpoint: endpoint) }

    /// The client for what must get through (health, air now, stop, volume): over the daemon's control
    /// socket when this machine has it (`LOA_CONTROL_SOCKET`, else `/run/loa/control.sock`), else the API.
    var controlClient: DaemonClient {
        let endpoint = self.endpoint
        var client = DaemonClient(endpoint: endpoint)
        client.controlSocket = Self.controlSocket(isLocal: endpoint.isLocal)
        return client
    }

    static func controlSocket(
        isLocal: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let given = environment["LOA_CONTROL_SOCKET"], !given.isEmpty { return given }
        // The default socket belongs to the daemon on this machine; a --url elsewhere means another daemon.
        guard isLocal else { return nil }
        // The gateway's, else that of a `loa serve` run in this directory (`./.loa`).
        return ["/run/loa/control.sock", ".loa/control.sock"].first { FileManager.default.fileExists(atPath: $0) }
    }
}
