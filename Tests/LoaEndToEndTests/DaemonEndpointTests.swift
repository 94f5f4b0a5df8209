import Foundation
import Testing

@testable import loa

/// Which daemon the CLI talks to (issue 15): an explicit URL, else the API socket, else the last login, else
/// loopback HTTP.
@Suite("loa: choosing the daemon")
struct DaemonEndpointTests {
    let gateway = SavedCredentials.Site(url: "https://gateway:8443", user: "ky-thuat", token: "loa_a", caPEM: "CA")
    let other = SavedCredentials.Site(url: "https://10.0.0.9:8443", user: "chu-tich", token: "loa_b", caPEM: nil)

    var saved: SavedCredentials { SavedCredentials(sites: [other, gateway]) }

    @Test func anExplicitURLWinsWithItsSavedToken() {
        let chosen = DaemonEndpoint.resolve(
            url: "https://10.0.0.9:8443/",
            environment: ["LOA_URL": "https://gateway:8443"],
            saved: saved,
            socketExists: { _ in true }
        )
        #expect(chosen == .url("https://10.0.0.9:8443/", saved: other))
    }

    @Test func loaURLComesNextWithoutATokenWhenNoneIsSaved() {
        let chosen = DaemonEndpoint.resolve(
            url: nil,
            environment: ["LOA_URL": "http://127.0.0.1:9090"],
            saved: saved,
            socketExists: { _ in true }
        )
        #expect(chosen == .url("http://127.0.0.1:9090", saved: nil))
    }

    @Test func theAPISocketComesBeforeTheLastLogin() {
        let chosen = DaemonEndpoint.resolve(url: nil, environment: [:], saved: saved) { $0 == "/run/loa/api.sock" }
        #expect(chosen == .apiSocket("/run/loa/api.sock"))
        #expect(chosen.isLocal)
        let named = DaemonEndpoint.resolve(url: nil, environment: ["LOA_SOCKET": "/tmp/x.sock"], saved: saved) {
            $0 == "/tmp/x.sock"
        }
        #expect(named == .apiSocket("/tmp/x.sock"))
    }

    @Test func withoutASocketTheLastLoginIsTheDefault() {
        let chosen = DaemonEndpoint.resolve(url: nil, environment: [:], saved: saved) { _ in false }
        #expect(chosen == .url("https://gateway:8443", saved: gateway))
        #expect(!chosen.isLocal)
    }

    @Test func withNothingItIsLoopbackHTTP() {
        let chosen = DaemonEndpoint.resolve(url: nil, environment: ["LOA_URL": ""], saved: .init()) { _ in false }
        #expect(chosen == .url("http://127.0.0.1:8080", saved: nil))
        #expect(chosen.isLocal)
    }

    @Test func theClientCarriesTheTokenOverTCPAndNoneOverTheSocket() {
        let overTCP = DaemonClient(endpoint: .url("https://gateway:8443", saved: gateway))
        #expect(overTCP.token == "loa_a")
        #expect(overTCP.caPEM == "CA")
        #expect(overTCP.apiSocket == nil)
        let overSocket = DaemonClient(endpoint: .apiSocket("/run/loa/api.sock"))
        #expect(overSocket.token == nil)
        #expect(overSocket.apiSocket == "/run/loa/api.sock")
    }
}
