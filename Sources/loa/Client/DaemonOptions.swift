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
}
