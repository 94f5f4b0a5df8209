import Foundation
import LoaTestSupport
import Testing

@testable import loa

/// How the CLI reaches the daemon (issue 15), against a real `loa serve`: over HTTPS trusting the CA saved by
/// `loa login`, over the API socket with no URL at all, and `loa logout` of a site it cannot reach.
@Suite("loa: reaching the daemon")
struct CLIConnectionTests {
    /// A home of its own for the CLI, with `sites` saved as `loa login` would.
    static func home(with sites: [SavedCredentials.Site]) throws -> [String: String] {
        let home = try TestBroker.makeTemporaryDirectory(prefix: "loa-home")
        let environment = ["HOME": home, "XDG_CONFIG_HOME": "\(home)/.config", "LOA_CONTROL_SOCKET": ""]
        if !sites.isEmpty {
            try SavedCredentials.Store.standard(environment: environment).save(SavedCredentials(sites: sites))
        }
        return environment
    }

    @Test func httpsTrustsTheCASavedAtLogin() async throws {
        let daemon = try await DaemonUnderTest()
        let ca = try await daemon.loa(["ca", "show"]).stdout
        let url = try await HTTPSListenerTests.httpsURL(of: daemon)

        // A token of chu-tich's saved for the site, as `loa login` would have kept it.
        let token = try await daemon.bearer().dropFirst("Bearer ".count)
        let saved = try Self.home(with: [.init(url: url, user: "chu-tich", token: String(token), caPEM: ca)])
        let trusted = try await LoaProcess.run(["ca", "show"], environment: saved.merging(["LOA_URL": url]) { $1 })
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(trusted.stdout == ca)
        // The last login is the default site when no URL is given and there is no API socket.
        let byDefault = try await LoaProcess.run(
            ["ca", "show"],
            environment: saved.merging(["LOA_URL": "", "LOA_SOCKET": "/nonexistent/api.sock"]) { $1 }
        )
        #expect(byDefault.status == 0, "\(byDefault.stderr)")

        let unsaved = try Self.home(with: [])
        let untrusted = try await LoaProcess.run(["ca", "show", "--url", url], environment: unsaved)
        #expect(untrusted.status == 69, "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("cannot reach loa serve at \(url)"), "\(untrusted.stderr)")
    }

    @Test func theAPISocketCarriesRequestsWithoutAURL() async throws {
        let daemon = try await DaemonUnderTest()
        // The control socket stands in for the API socket (both serve /healthz): the CLI is given no URL.
        let environment = try Self.home(with: []).merging(["LOA_URL": "", "LOA_SOCKET": daemon.controlSocket]) { $1 }
        let health = try await LoaProcess.run(["health"], environment: environment)
        #expect(health.status == 0, "\(health.stdout)\(health.stderr)")
        #expect(health.stdout.hasPrefix("LOA OK"), "\(health.stdout)")
    }

    @Test func logoutOfASiteItCannotReachForgetsItAndSaysSo() async throws {
        let environment = try Self.home(with: [
            .init(url: "https://127.0.0.1:1", user: "chu-tich", token: "loa_gone", caPEM: nil),
            .init(url: "https://127.0.0.1:2", user: "chu-tich", token: "loa_kept", caPEM: nil),
        ])
        let result = try await LoaProcess.run(["logout", "--url", "https://127.0.0.1:1"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Signed out of https://127.0.0.1:1"))
        #expect(result.stderr.contains("not revoked"), "\(result.stderr)")
        #expect(!result.stdout.contains("loa_gone") && !result.stderr.contains("loa_gone"))
        let left = try SavedCredentials.Store.standard(environment: environment).load()
        #expect(left.sites.map(\.url) == ["https://127.0.0.1:2"])
    }
}
