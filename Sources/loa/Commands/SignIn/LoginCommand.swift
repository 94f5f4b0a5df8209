import ArgumentParser
import Foundation
import LoaCore
import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// `loa login`: signs in to a gateway's API (`POST /api/v1/login`) and keeps the token it issues in the
/// credentials file (``SavedCredentials``), so later commands to that site need no password. The password is
/// asked on the terminal without echo, or read from one line of stdin; neither it nor the token is ever printed.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to a gateway's API and keep its token for later commands."
    )

    @Option(name: .long, help: ArgumentHelp("The gateway's API, e.g. https://gateway:8443.", valueName: "URL"))
    var url: String

    @Option(name: .long, help: ArgumentHelp("Your user name (default LOA_USER, then USER).", valueName: "NAME"))
    var user: String =
        ProcessInfo.processInfo.environment["LOA_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "operator"

    @Flag(name: .long, help: "Read the password from the first line of stdin instead of asking on the terminal.")
    var passwordStdin = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The CA (PEM) the gateway's certificate chains to, besides the system's roots: its on-box CA, "
                + "from loa ca show on the gateway.",
            valueName: "FILE"
        )
    )
    var caFile: String?

    func validate() throws {
        try DaemonOptions.check(url: url)
    }

    struct LoginRequest: Encodable {
        let user: String
        let password: String
        let label: String
    }

    struct LoginResponse: Decodable {
        let token: String
        let user: String
        let role: String
    }

    func run() async throws {
        let caPEM = try caFile.map(Self.readCA)
        let password = try passwordStdin ? PasswordInput.firstLineOfStandardInput() : PasswordInput.ask(user: user)
        let client = DaemonClient(baseURL: URL(string: url)!, caPEM: caPEM)
        let body = try JSONEncoder().encode(
            LoginRequest(user: user, password: password, label: "loa login on \(Self.hostName())")
        )
        let reply: DaemonClient.Reply
        do {
            reply = try await client.send(method: "POST", path: "api/v1/login", body: body)
        } catch {
            throw CommandFailure(message: error.description + hint(for: error.reason), exitCode: Sysexits.unavailable)
        }
        let response = try Self.signedIn(reply, url: url)
        let store = SavedCredentials.Store.standard()
        var saved = try store.load()
        saved.signedIn(.init(url: url, user: response.user, token: response.token, caPEM: caPEM))
        try store.save(saved)
        print("Signed in to \(url) as \(response.user) (\(response.role))")
    }

    /// The token of a sign-in the daemon accepted, or the failure: a wrong password (77), too many attempts
    /// (75, saying when to try again), anything else as for other requests.
    static func signedIn(_ reply: DaemonClient.Reply, url: String, now: Date = Date()) throws -> LoginResponse {
        switch reply.status {
        case 200..<300:
            do { return try JSONDecoder().decode(LoginResponse.self, from: reply.body) } catch {
                throw CommandFailure(
                    message: "\(url) answered the sign-in with something that is not Loa's API",
                    exitCode: Sysexits.unavailable
                )
            }
        case 401:
            throw CommandFailure(
                message: "\(url) refused the sign-in: wrong user name or password",
                exitCode: Sysexits.noPermission
            )
        case 429:
            let when: String
            if let seconds = reply.retryAfter {
                let formatter = DateFormatter()
                formatter.dateFormat = "HH:mm:ss"
                when = "in \(seconds) s (at \(formatter.string(from: now.addingTimeInterval(TimeInterval(seconds)))))"
            } else {
                when = "in a few minutes"
            }
            throw CommandFailure(
                message: "\(url) refused the sign-in: too many failed attempts; try again \(when)",
                exitCode: Sysexits.tempFail
            )
        default:
            try DaemonClient.check(reply)
            throw CommandFailure(message: "\(url) answered HTTP \(reply.status)", exitCode: Sysexits.unavailable)
        }
    }

    /// What to do when the gateway's certificate was not trusted.
    func hint(for reason: String) -> String {
        guard url.lowercased().hasPrefix("https:"), caFile == nil,
            ["certificate", "handshake", "ssl", "tls"].contains(where: reason.lowercased().contains)
        else { return "" }
        return "; if the gateway uses its on-box CA, save 'loa ca show' from the gateway and give it with --ca-file"
    }

    /// The CA file's text, checked to hold at least one certificate.
    static func readCA(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw CommandFailure(message: "--ca-file '\(path)' cannot be read", exitCode: Sysexits.usage)
        }
        guard (try? NIOSSLCertificate.fromPEMBytes(Array(text.utf8)))?.isEmpty == false else {
            throw CommandFailure(
                message: "--ca-file '\(path)' holds no PEM certificate (loa ca show prints one)",
                exitCode: Sysexits.usage
            )
        }
        return text
    }

    /// This machine's name, for the token's label.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
