import ArgumentParser
import Foundation
import LoaCore

/// `loa logout`: revokes the token of a site (`DELETE /api/v1/login`) and forgets it. The entry is removed
/// even when the gateway cannot be reached, which is said, since the token then stays valid there.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Revoke the token of a site signed in to, and forget it."
    )

    @Option(name: .long, help: ArgumentHelp("The site to sign out of (default: the last login's).", valueName: "URL"))
    var url: String?

    func run() async throws {
        let store = SavedCredentials.Store.standard()
        var saved = try store.load()
        guard let site = url.map(saved.site(for:)) ?? saved.current else {
            print(url.map { "Not signed in to \($0)" } ?? "Not signed in")
            return
        }
        let client = DaemonClient(baseURL: URL(string: site.url)!, token: site.token, caPEM: site.caPEM)
        do {
            let reply = try await client.send(method: "DELETE", path: "api/v1/login", body: nil)
            if reply.status == 401 {
                Self.warn("\(site.url) no longer knew the token (revoked or expired already)")
            } else if !(200..<300).contains(reply.status) {
                Self.warn(
                    "\(site.url) answered HTTP \(reply.status) to the sign-out; the token may still be valid there"
                )
            }
        } catch {
            Self.warn(
                "\(error.description); the token was not revoked and stays valid there until an admin revokes it"
            )
        }
        saved.signedOut(of: site.url)
        try store.save(saved)
        print("Signed out of \(site.url)")
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("loa: \(message)\n".utf8))
    }
}
