import Foundation
import LoaCore
import LoaStore
import LoaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 15, from outside, as users and attackers would: a real `loa serve`, over real HTTP on loopback, HTTPS
/// with the on-box CA, and the API socket.
@Suite("Sign-in", .serialized)
struct SignInTests {
    static let password = "Chu-tich-2026!"
    static let operatorPassword = "Van-hoa-xa-2026"

    /// A daemon whose sample accounts have passwords (set over the socket, as a technician would).
    static func daemon(_ arguments: [String] = []) async throws -> DaemonUnderTest {
        let daemon = try await DaemonUnderTest(arguments: ["--audio-device", "null"] + arguments)
        try await daemon.makeSampleAccounts()
        for (user, password) in [("chu-tich", password), ("can-bo-van-hoa", operatorPassword)] {
            let set = try await daemon.loa(["users", "passwd", user, "--password-stdin"], input: password + "\n")
            try #require(set.status == 0, "\(set.stderr)")
        }
        return daemon
    }

    /// One request over the TCP API: no cookie jar, no redirects, every header the test's own.
    static func request(
        _ daemon: DaemonUnderTest,
        _ method: String,
        _ path: String,
        headers: [String: String] = [:],
        body: Data? = nil
    ) async throws -> (status: Int, headers: [String: String], body: String) {
        var request = URLRequest(url: URL(string: "\(daemon.url)\(path)")!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        let fields = Dictionary(
            http.allHeaderFields.compactMap { key, value in (key as? String).map { ($0.lowercased(), "\(value)") } },
            uniquingKeysWith: { first, _ in first }
        )
        return (http.statusCode, fields, String(decoding: data, as: UTF8.self))
    }

    static func json(_ value: some Encodable) throws -> Data { try JSONEncoder().encode(value) }

    @Test func withoutCredentialsTheAPIAnswers401AndXLoaUserGrantsNothing() async throws {
        let daemon = try await Self.daemon()
        let routes = [
            ("GET", "/api/v1/schedules"), ("GET", "/api/v1/receivers"), ("GET", "/api/v1/log"), ("GET", "/metrics"),
            ("GET", "/api/v1/users"), ("GET", "/api/v1/audit"), ("GET", "/api/v1/ca"), ("POST", "/api/v1/stop"),
            ("POST", "/api/v1/announce"), ("POST", "/api/v1/volume"), ("POST", "/api/v1/schedules"),
            ("POST", "/api/v1/key/rotate"), ("POST", "/api/v1/enrollments"), ("POST", "/api/v1/users"),
        ]
        for (method, path) in routes {
            let body = method == "GET" ? nil : Data("{}".utf8)
            let bare = try await Self.request(daemon, method, path, body: body)
            #expect(bare.status == 401, "\(method) \(path): \(bare.status) \(bare.body)")
            #expect(bare.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            let impostor = try await Self.request(daemon, method, path, headers: ["X-Loa-User": "chu-tich"], body: body)
            #expect(impostor.status == 401, "X-Loa-User on \(method) \(path): \(impostor.status)")
        }
        // The open routes: health without detail, and the two ways to sign in.
        let health = try await Self.request(daemon, "GET", "/healthz")
        #expect(health.status == 200 && health.body.contains("\"status\"") && !health.body.contains("xa-an-phu"))
        // Nothing was changed by any of it.
        let log = try await daemon.loa(["log", "--json"])
        #expect(log.status == 0 && log.stdout.filter { !$0.isWhitespace } == "[]", "\(log)")
        let schedules = try await daemon.loa(["schedule", "list", "--json"])
        #expect(schedules.stdout.filter { !$0.isWhitespace } == "[]")
    }

    @Test func anOperatorSignedInOverHTTPSDraftsButMayNotApproveOrAirAnEmergency() async throws {
        let daemon = try await Self.daemon()
        let remote = try await Self.remoteLogin(daemon, user: "can-bo-van-hoa", password: Self.operatorPassword)
        let credentials = "\(remote["XDG_CONFIG_HOME"]!)/loa/credentials.json"
        let mode = try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let https = try daemon.httpsURL

        let added = try await LoaProcess.run(
            ["schedule", "add", "--text", "Họp dân thôn Đông", "--daily", "17:00", "--zones", "thon-dong", "--json"],
            environment: remote
        )
        try #require(added.status == 0, "\(added.stderr)")
        let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(added.stdout.utf8))
        #expect(schedule.createdBy == "can-bo-van-hoa" && schedule.approval == .draft)

        let approve = try await LoaProcess.run(["schedule", "approve", schedule.id], environment: remote)
        #expect(approve.status == 77 && approve.stderr.contains("can-bo-van-hoa (operator) may not"), "\(approve)")
        let emergency = try await LoaProcess.run(
            ["announce", "--priority", "emergency", "--text", "Lũ quét", "--all", "--no-chime"],
            environment: remote
        )
        #expect(emergency.status == 77, "\(emergency)")
        let stop = try await LoaProcess.run(["stop", "--all"], environment: remote)
        #expect(stop.status == 77, "\(stop)")

        // Nothing changed: still a draft, nothing aired.
        let shown = try await daemon.loa(["schedule", "show", schedule.id, "--json"])
        #expect(try APICoding.decoder().decode(Schedule.self, from: Data(shown.stdout.utf8)).approval == .draft)
        let log = try await daemon.loa(["log", "--json"]).stdout
        #expect(log.filter { !$0.isWhitespace } == "[]", "\(log)")

        // The audit names the account and where it came from.
        let audit = try await daemon.loa(["audit", "--user", "can-bo-van-hoa", "--json"])
        let records = try APICoding.decoder().decode([AuditRecord].self, from: Data(audit.stdout.utf8))
        let add = try #require(records.first { $0.action == "schedule.add" })
        #expect(add.origin == "127.0.0.1" && add.subject == schedule.id)

        // Sign-out revokes the token on the gateway and forgets it here.
        let logout = try await LoaProcess.run(["logout", "--url", https], environment: remote)
        #expect(logout.status == 0, "\(logout.stderr)")
        let after = try await LoaProcess.run(["schedule", "list", "--url", https], environment: remote)
        #expect(after.status != 0, "\(after)")
        #expect(records.contains { $0.action == "sign-in" })
    }

    /// `loa login` to HTTPS on "another machine" (no sockets, its own config directory), for `user`.
    static func remoteLogin(_ daemon: DaemonUnderTest, user: String, password: String) async throws -> [String: String]
    {
        let home = try TestBroker.makeTemporaryDirectory(prefix: "loa-remote-home")
        let caFile = "\(home)/ca.pem"
        try await daemon.loa(["ca", "show"]).stdout.write(toFile: caFile, atomically: true, encoding: .utf8)
        let remote = [
            "HOME": home, "XDG_CONFIG_HOME": "\(home)/.config", "LOA_SOCKET": "/nonexistent/api.sock",
            "LOA_CONTROL_SOCKET": "",
        ]
        let login = try await LoaProcess.run(
            ["login", "--url", try daemon.httpsURL, "--user", user, "--password-stdin", "--ca-file", caFile],
            environment: remote,
            input: password + "\n"
        )
        try #require(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("as \(user)"), "\(login.stdout)")
        return remote
    }

    @Test func theOperatorCommandsWorkAfterLoginOverHTTPSAsOverTheSocket() async throws {
        let daemon = try await Self.daemon()
        let fixtures = try AudioFixtures("signin-upload")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("ban-tin.wav", seconds: 2)
        let remote = try await Self.remoteLogin(daemon, user: "chu-tich", password: Self.password)
        let added = try await LoaProcess.run(
            ["schedule", "add", "--text", "Bản tin sáng", "--daily", "05:00", "--zones", "thon-dong", "--json"],
            environment: remote
        )
        try #require(added.status == 0, "\(added.stderr)")
        let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(added.stdout.utf8))
        let commands: [[String]] = [
            ["schedule", "approve", schedule.id],
            ["schedule", "add", "--audio", wav, "--daily", "17:00", "--zones", "thon-tay"],
            ["schedule", "list"], ["schedule", "show", schedule.id], ["schedule", "next", "--count", "3"],
            ["log"], ["receivers"], ["assets"], ["key", "show"], ["ca", "show"], ["audit", "--limit", "5"],
            ["volume", "60", "--zones", "thon-dong"],
            ["announce", "--text", "Thông báo thử", "--zones", "xom-bai", "--no-chime"],
            ["stop", "--all"],
        ]
        for command in commands {
            let result = try await LoaProcess.run(command, environment: remote, timeout: .seconds(90))
            #expect(result.status == 0, "loa \(command.joined(separator: " ")) over HTTPS: \(result.stderr)")
        }
        // The same commands' changes are audited with the HTTPS client's address.
        let audit = try await daemon.loa(["audit", "--user", "chu-tich", "--json", "--limit", "50"])
        let actions = try APICoding.decoder().decode([AuditRecord].self, from: Data(audit.stdout.utf8))
        for action in ["schedule.add", "schedule.approve", "asset.import", "volume.set", "announce", "broadcast.stop"] {
            #expect(actions.contains { $0.action == action && $0.origin == "127.0.0.1" }, "\(action)")
        }
    }

    @Test func twentyWrongPasswordsThrottleTheAccountAndTheAddressUntilTheBackoffPasses() async throws {
        let daemon = try await Self.daemon(["--sign-in-max-backoff-s", "3"])
        func signIn(
            _ user: String,
            _ password: String
        ) async throws -> (status: Int, headers: [String: String], body: String) {
            try await Self.request(
                daemon,
                "POST",
                "/api/v1/login",
                body: try Self.json(SignInRequest(user: user, password: password))
            )
        }
        var answers: [Int] = []
        for attempt in 0..<20 { answers.append(try await signIn("chu-tich", "doan-\(attempt)").status) }
        #expect(answers.prefix(6).allSatisfy { $0 == 401 }, "\(answers)")
        #expect(answers.last == 429, "\(answers)")

        let right = try await signIn("chu-tich", Self.password)
        #expect(right.status == 429, "the account is throttled: \(right.body)")
        let wait = try #require(right.headers["retry-after"].flatMap(Int.init))
        #expect((1...3).contains(wait))
        let neighbour = try await signIn("can-bo-van-hoa", Self.operatorPassword)
        #expect(neighbour.status == 429, "the address is throttled too")
        // An unknown account gets the same answers as a real one.
        let unknown = try await signIn("khong-ton-tai", "x")
        #expect(unknown.status == 429 && unknown.body.contains("too many failed sign-ins"))

        try await Task.sleep(for: .seconds(wait + 1))
        let again = try await signIn("chu-tich", Self.password)
        #expect(again.status == 201, "\(again.body)")
        #expect(again.body.contains("\"token\""))

        let audit = try await daemon.loa(["audit", "--user", "chu-tich", "--json", "--limit", "100"])
        let records = try APICoding.decoder().decode([AuditRecord].self, from: Data(audit.stdout.utf8))
        let attempts = records.filter { $0.action.hasPrefix("sign-in") }
        #expect(attempts.count == 22, "\(attempts.map(\.action))")
        #expect(attempts.allSatisfy { $0.origin == "127.0.0.1" })
        // Neither message says whether the account exists.
        let strangerAnswer = try await signIn("khong-ton-tai", "x")
        #expect(!strangerAnswer.body.contains("khong-ton-tai"))
    }

    @Test func aCookieSessionNeedsItsCSRFTokenForChangesAndEnds() async throws {
        let daemon = try await Self.daemon(["--session-idle-s", "2", "--session-lifetime-s", "5"])
        func signIn() async throws -> (cookie: String, csrf: String) {
            let answer = try await Self.request(
                daemon,
                "POST",
                "/api/v1/session",
                body: try Self.json(SignInRequest(user: "chu-tich", password: Self.password))
            )
            try #require(answer.status == 201, "\(answer.body)")
            let setCookie = try #require(answer.headers["set-cookie"])
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict")
            )
            let cookie = String(setCookie.split(separator: ";")[0])
            let reply = try JSONDecoder().decode(SignInReply.self, from: Data(answer.body.utf8))
            return (cookie, try #require(reply.csrfToken))
        }
        let (cookie, csrf) = try await signIn()
        // A form on another site cannot sign the browser in: it cannot send JSON.
        var form = URLRequest(url: URL(string: "\(daemon.url)/api/v1/session")!)
        form.httpMethod = "POST"
        form.httpShouldHandleCookies = false
        form.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        form.httpBody = try Self.json(SignInRequest(user: "chu-tich", password: Self.password))
        let (_, formAnswer) = try await URLSession.shared.data(for: form)
        #expect((formAnswer as? HTTPURLResponse)?.statusCode == 415)
        #expect((formAnswer as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") == nil)
        let read = try await Self.request(daemon, "GET", "/api/v1/schedules", headers: ["Cookie": cookie])
        #expect(read.status == 200)
        let forged = try await Self.request(
            daemon,
            "POST",
            "/api/v1/stop",
            headers: ["Cookie": cookie],
            body: Data("{}".utf8)
        )
        #expect(forged.status == 403 && forged.body.contains("CSRF"), "\(forged)")
        let wrong = try await Self.request(
            daemon,
            "POST",
            "/api/v1/stop",
            headers: ["Cookie": cookie, "X-CSRF-Token": "x"],
            body: Data("{}".utf8)
        )
        #expect(wrong.status == 403)
        let genuine = try await Self.request(
            daemon,
            "POST",
            "/api/v1/stop",
            headers: ["Cookie": cookie, "X-CSRF-Token": csrf],
            body: Data("{}".utf8)
        )
        #expect(genuine.status == 200, "\(genuine)")

        // Idle for longer than session-idle-s: ended.
        try await Task.sleep(for: .seconds(3))
        #expect(try await Self.request(daemon, "GET", "/api/v1/schedules", headers: ["Cookie": cookie]).status == 401)

        // Active every second, but past session-lifetime-s: ended all the same.
        let (busy, _) = try await signIn()
        var statuses: [Int] = []
        for _ in 0..<7 {
            try await Task.sleep(for: .seconds(1))
            statuses.append(
                try await Self.request(daemon, "GET", "/api/v1/schedules", headers: ["Cookie": busy]).status
            )
        }
        #expect(statuses.prefix(3).allSatisfy { $0 == 200 } && statuses.last == 401, "\(statuses)")

        // Sign-out ends the session at once.
        let (short, token) = try await signIn()
        let out = try await Self.request(
            daemon,
            "DELETE",
            "/api/v1/session",
            headers: ["Cookie": short, "X-CSRF-Token": token]
        )
        #expect(out.status == 204)
        #expect(try await Self.request(daemon, "GET", "/api/v1/schedules", headers: ["Cookie": short]).status == 401)
    }

    @Test func tokensAreScopedRevocableAndNoSecretReachesALog() async throws {
        let daemon = try await Self.daemon()
        let health = try await daemon.loa([
            "tokens", "add", "--user", "thanh-tra", "--scope", "health", "--label", "nagios",
        ])
        try #require(health.status == 0, "\(health.stderr)")
        let healthToken = health.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let monitor = ["Authorization": "Bearer \(healthToken)"]
        #expect(try await Self.request(daemon, "GET", "/metrics", headers: monitor).status == 200)
        let report = try await Self.request(daemon, "GET", "/healthz", headers: monitor)
        #expect(report.status == 200 && report.body.contains("xa-an-phu"), "a health token gets the whole report")
        #expect(try await Self.request(daemon, "GET", "/api/v1/schedules", headers: monitor).status == 403)

        let full = try await daemon.loa(["tokens", "add", "--user", "chu-tich", "--scope", "full", "--label", "script"])
        let fullToken = full.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let script = ["Authorization": "Bearer \(fullToken)"]
        #expect(try await Self.request(daemon, "GET", "/api/v1/schedules", headers: script).status == 200)
        let id = try #require(TokenID.of(fullToken))
        #expect(try await daemon.loa(["tokens", "revoke", id]).status == 0)
        #expect(try await Self.request(daemon, "GET", "/api/v1/schedules", headers: script).status == 401)

        // The store keeps bcrypt hashes and token digests; no password or token is in the daemon's log.
        let database = try LoaDatabase(path: "\(daemon.stateDirectory)/loa.sqlite")
        let hash = try #require(try database.account(named: "chu-tich")?.passwordHash)
        #expect(hash.hasPrefix("$2b$10$"), "\(hash)")
        let stored = try #require(try database.token(id: id))
        #expect(!fullToken.contains(stored.secretHash))
        _ = await daemon.stop()
        let log = daemon.process?.stderr ?? ""
        #expect(!log.isEmpty)
        for secret in [Self.password, Self.operatorPassword, healthToken, fullToken, String(fullToken.suffix(43))] {
            #expect(!log.contains(secret), "a secret reached the daemon's log")
        }
        let sqlite = try Data(contentsOf: URL(fileURLWithPath: "\(daemon.stateDirectory)/loa.sqlite"))
        #expect(sqlite.range(of: Data(Self.password.utf8)) == nil && sqlite.range(of: Data(fullToken.utf8)) == nil)
    }

    @Test func onlyRootAndTheSocketsGroupMayOpenTheAPISocket() async throws {
        let daemon = try await Self.daemon()
        // Let anyone reach the socket's directory: only the socket's own mode may stop them.
        for path in [daemon.directory, daemon.stateDirectory] { chmod(path, 0o755) }
        let socket = daemon.apiSocket
        let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
        #expect(mode == 0o660, "\(String(mode ?? 0, radix: 8))")

        func asNobody(groups: String) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await LoaProcess.run(
                [
                    "--reuid=65534", "--regid=65534", "--groups=\(groups)", LoaProcess.executable.path, "schedule",
                    "list",
                ],
                executable: URL(fileURLWithPath: "/usr/bin/setpriv"),
                environment: ["LOA_SOCKET": socket, "LOA_CONTROL_SOCKET": "", "HOME": "/nonexistent", "LOA_URL": ""]
            )
        }
        let outsider = try await asNobody(groups: "65534")
        #expect(outsider.status != 0, "a user outside the group listed the schedules: \(outsider)")
        #expect(!outsider.stdout.contains("ID"))

        // The same user in the socket's group may.
        chown(socket, 0, 65534)
        let member = try await asNobody(groups: "65534")
        #expect(member.status == 0, "\(member)")
    }
}

/// A token's id: `loa_<id>_<secret>`.
enum TokenID {
    static func of(_ token: String) -> String? {
        let parts = token.split(separator: "_", maxSplits: 2)
        return parts.count == 3 ? String(parts[1]) : nil
    }
}
