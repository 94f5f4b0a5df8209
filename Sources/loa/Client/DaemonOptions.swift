import ArgumentParser
import Foundation

/// The options of every command that talks to `loa serve` through its HTTP API.
struct DaemonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The daemon's API URL (also LOA_URL).", valueName: "URL"))
    var url: String = ProcessInfo.processInfo.environment["LOA_URL"] ?? "http://127.0.0.1:8080"

    func validate() throws {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw ValidationError("--url '\(url)' is not an http:// or https:// URL, e.g. http://127.0.0.1:8080")
        }
    }

    var client: DaemonClient { DaemonClient(baseURL: URL(string: url)!) }

    /// The client for what must get through (health, air now, stop, volume): over the daemon's control
    /// socket when this machine has it (`LOA_CONTROL_SOCKET`, else `/run/loa/control.sock`), else the API.
    var controlClient: DaemonClient {
        var client = self.client
        client.controlSocket = Self.controlSocket(for: url)
        return client
    }

    static func controlSocket(
        for url: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let given = environment["LOA_CONTROL_SOCKET"], !given.isEmpty { return given }
        // The default socket belongs to the daemon on this machine; a --url elsewhere means another daemon.
        guard let host = URL(string: url)?.host, ["127.0.0.1", "localhost", "::1"].contains(host) else { return nil }
        let standard = "/run/loa/control.sock"
        return FileManager.default.fileExists(atPath: standard) ? standard : nil
    }
}
