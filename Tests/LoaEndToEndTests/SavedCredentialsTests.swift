import Foundation
import Testing

@testable import loa

/// The file of `loa login` (issue 15): owner-only from the start, one entry per site, the last login the
/// default, and `loa logout` dropping only its own.
@Suite("loa login: the credentials file")
struct SavedCredentialsTests {
    let home: String
    let store: SavedCredentials.Store

    init() throws {
        home = NSTemporaryDirectory() + "loa-credentials-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        store = .standard(environment: ["HOME": home])
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func theFileIsUnderXDGConfigHomeElseHomeConfig() {
        #expect(store.path == "\(home)/.config/loa/credentials.json")
        let xdg = SavedCredentials.Store.standard(environment: ["HOME": home, "XDG_CONFIG_HOME": "/etc/xdg-x"])
        #expect(xdg.path == "/etc/xdg-x/loa/credentials.json")
    }

    @Test func noFileIsNoLogin() throws {
        #expect(try store.load() == SavedCredentials())
    }

    @Test func theFolderIs0700AndTheFile0600() throws {
        var saved = SavedCredentials()
        saved.signedIn(.init(url: "https://gateway:8443", user: "ky-thuat", token: "loa_secret", caPEM: nil))
        try store.save(saved)
        #expect(try mode(store.directory) == 0o700)
        #expect(try mode(store.path) == 0o600)
        #expect(try store.load() == saved)
        // A folder someone left open is closed again; the file stays owner-only when replaced.
        chmod(store.directory, 0o755)
        try store.save(saved)
        #expect(try mode(store.directory) == 0o700)
        #expect(try mode(store.path) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory)
        #expect(leftovers == ["credentials.json"])
    }

    @Test func severalSitesTheLastLoginTheDefault() throws {
        var saved = SavedCredentials()
        saved.signedIn(.init(url: "https://a:8443", user: "u1", token: "t1", caPEM: "CA-A"))
        saved.signedIn(.init(url: "https://b:8443", user: "u2", token: "t2", caPEM: nil))
        saved.signedIn(.init(url: "https://a:8443/", user: "u3", token: "t3", caPEM: "CA-A"))
        try store.save(saved)
        let loaded = try store.load()
        #expect(loaded.sites.count == 2)
        #expect(loaded.current?.token == "t3")
        #expect(loaded.site(for: "https://b:8443")?.user == "u2")
        #expect(loaded.site(for: "HTTPS://A:8443")?.user == "u3")
    }

    @Test func logoutRemovesOnlyItsSite() throws {
        var saved = SavedCredentials()
        saved.signedIn(.init(url: "https://a:8443", user: "u1", token: "t1", caPEM: nil))
        saved.signedIn(.init(url: "https://b:8443", user: "u2", token: "t2", caPEM: nil))
        #expect(saved.signedOut(of: "https://b:8443")?.token == "t2")
        #expect(saved.signedOut(of: "https://c:8443") == nil)
        try store.save(saved)
        let loaded = try store.load()
        #expect(loaded.sites.map(\.url) == ["https://a:8443"])
        #expect(loaded.current?.url == "https://a:8443")
    }

    @Test func aDamagedFileIsReported() throws {
        try store.save(SavedCredentials())
        try "{not json".write(toFile: store.path, atomically: false, encoding: .utf8)
        #expect(throws: CommandFailure.self) { try store.load() }
    }
}

/// `loa login`'s answers from the daemon: the token, a wrong password (77), a throttled sign-in (75, when to
/// try again).
@Suite("loa login: the daemon's answer")
struct LoginReplyTests {
    func reply(_ status: Int, _ body: String, retryAfter: Int? = nil) -> DaemonClient.Reply {
        DaemonClient.Reply(status: status, body: Data(body.utf8), retryAfter: retryAfter)
    }

    @Test func aTokenIsKept() throws {
        let response = try LoginCommand.signedIn(
            reply(201, #"{"token":"loa_x","user":"ky-thuat","role":"admin"}"#),
            url: "https://gateway:8443"
        )
        #expect(response.token == "loa_x")
        #expect(response.role == "admin")
    }

    @Test func aWrongPasswordIsNoPermission() {
        do {
            _ = try LoginCommand.signedIn(reply(401, #"{"error":"bad","status":401}"#), url: "https://g:8443")
            Issue.record("accepted")
        } catch let failure as CommandFailure {
            #expect(failure.exitCode == 77)
            #expect(failure.message.contains("wrong user name or password"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aThrottledSignInSaysWhenToTryAgain() {
        do {
            _ = try LoginCommand.signedIn(
                reply(429, #"{"error":"slow down","status":429}"#, retryAfter: 90),
                url: "https://g:8443"
            )
            Issue.record("accepted")
        } catch let failure as CommandFailure {
            #expect(failure.exitCode == 75)
            #expect(failure.message.contains("try again in 90 s"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
