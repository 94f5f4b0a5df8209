import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `loa serve` for end-to-end tests: its own state dir, the sample commune from `device-configs/`,
/// the HTTP API on a free port, and helpers to run CLI commands against it.
public final class DaemonUnderTest: @unchecked Sendable {
    public let directory: String
    public let port: Int
    public let extraArguments: [String]
    public let deviceConfigs: String
    /// Added to `loa serve`'s environment (e.g. `ALSA_CONFIG_PATH` for a capture device made of a file).
    public let environment: [String: String]
    public private(set) var process: LoaProcess?

    /// The repository's `device-configs/`, found from this source file.
    public static var sampleDeviceConfigs: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("device-configs").path
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    /// The API over HTTPS (`--https 127.0.0.1:0`, unless the test's arguments give `--https`).
    public var httpsURL: String {
        get throws { "https://127.0.0.1:\(try httpsPort())" }
    }
    public var stateDirectory: String { "\(directory)/state" }
    /// The control socket, which `loa` uses for health, announce, stop and volume.
    public var controlSocket: String { "\(stateDirectory)/control.sock" }
    /// The API socket, which `loa` uses for everything else: trusted, as on the gateway (root or `loa` group).
    public var apiSocket: String { "\(stateDirectory)/api.sock" }
    /// The sample commune's accounts, made on first use: the chairman approves, the culture officer drafts, the
    /// technician looks after receivers and the key, the district inspector reads.
    public static let sampleAccounts = [
        ("chu-tich", "approver"), ("can-bo-van-hoa", "operator"), ("ky-thuat", "technician"), ("thanh-tra", "viewer"),
    ]
    private let made = Mutex<(accounts: Bool, token: String?)>((false, nil))

    /// Starts `loa serve` and waits until `loa health` says OK.
    public init(
        arguments: [String] = ["--audio-device", "null"],
        directory: String? = nil,
        deviceConfigs: String? = nil,
        environment: [String: String] = [:]
    ) async throws {
        self.environment = environment
        self.directory = try directory ?? TestBroker.makeTemporaryDirectory(prefix: "loa-daemon")
        self.deviceConfigs = deviceConfigs ?? Self.sampleDeviceConfigs
        port = try MosquittoBroker.freePort()
        extraArguments = arguments
        try await start()
    }

    /// Starts `loa serve` and waits until `loa health` says OK, or (`healthy: false`) until it answers at all.
    public func start(healthy: Bool = true) async throws {
        // The field listener on a free loopback port (kept across restarts), its certificate for 127.0.0.1:
        // tests run side by side, and receivers reach it as they would in the field.
        let field =
            extraArguments.contains("--broker") || extraArguments.contains("--field-listener")
            ? [] : ["--field-listener", "127.0.0.1:0", "--field-names", "127.0.0.1,localhost"]
        // HTTPS on a free loopback port too (kept in <state>/https-port), not the default 0.0.0.0:8443.
        let https = extraArguments.contains("--https") ? [] : ["--https", "127.0.0.1:0"]
        let serve = try LoaProcess(
            ["serve", "--http", "127.0.0.1:\(port)", "--state-dir", stateDirectory, "--device-configs", deviceConfigs]
                + field + https + extraArguments,
            directory: directory,
            environment: environment
        )
        process = serve
        let up = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            guard let health = try? await self.loa(["health"]) else { return false }
            return healthy ? health.status == 0 : !health.stdout.contains("unreachable")
        }
        guard up else {
            serve.kill()
            throw TimedOut(what: "loa serve becoming healthy (stderr: \(serve.stderr))", after: .seconds(30))
        }
    }

    /// A private copy of the sample `device-configs/`, for tests that edit it.
    public static func copyOfSampleDeviceConfigs() throws -> String {
        let copy = try TestBroker.makeTemporaryDirectory(prefix: "loa-configs") + "/device-configs"
        try FileManager.default.copyItem(atPath: sampleDeviceConfigs, toPath: copy)
        return copy
    }

    /// Runs `loa ARGUMENTS` against this daemon over its sockets, as the gateway's own technician (`user`
    /// nil: the local administrator) or as one of the ``sampleAccounts`` (`--as`, made on first use).
    public func loa(
        _ arguments: [String],
        user: String? = nil,
        input: String? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        if let user, Self.sampleAccounts.contains(where: { $0.0 == user }) { try await makeSampleAccounts() }
        var environment = localEnvironment
        if let user { environment["LOA_USER"] = user }
        return try await LoaProcess.run(
            arguments,
            directory: directory,
            environment: environment,
            input: input,
            timeout: timeout
        )
    }

    /// What `loa` needs to reach this daemon as a process on the gateway would: its two sockets.
    public var localEnvironment: [String: String] {
        ["LOA_SOCKET": apiSocket, "LOA_CONTROL_SOCKET": controlSocket]
    }

    /// Makes the ``sampleAccounts`` once (without passwords: they act over the socket with `--as`).
    public func makeSampleAccounts() async throws {
        guard !made.withLock({ $0.accounts }) else { return }
        for (name, role) in Self.sampleAccounts {
            let result = try await LoaProcess.run(
                ["users", "add", name, "--role", role],
                directory: directory,
                environment: localEnvironment
            )
            guard result.status == 0 || result.stderr.contains("exists already") else {
                throw CommandFailed(command: "loa users add \(name)", status: result.status, stderr: result.stderr)
            }
        }
        made.withLock { $0.accounts = true }
    }

    /// `Bearer …` with a token of chu-tich's (an approver), for tests that call the TCP API themselves.
    public func bearer() async throws -> String {
        if let token = made.withLock({ $0.token }) { return "Bearer \(token)" }
        try await makeSampleAccounts()
        let result = try await loa(["tokens", "add", "--user", "chu-tich", "--scope", "full", "--label", "tests"])
        guard result.status == 0 else {
            throw CommandFailed(command: "loa tokens add", status: result.status, stderr: result.stderr)
        }
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        made.withLock { $0.token = token }
        return "Bearer \(token)"
    }

    /// `GET path` on the TCP API with chu-tich's token (`/metrics`, a listing).
    public func fetch(_ path: String) async throws -> (body: Data, response: HTTPURLResponse) {
        var request = URLRequest(url: URL(string: "\(url)\(path)")!)
        request.setValue(try await bearer(), forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        return (body, response as! HTTPURLResponse)
    }

    /// Enrolls receiver `id` (`loa receivers enroll`) into a file in the test's directory; its path.
    public func enroll(_ id: String) async throws -> String {
        let path = "\(directory)/\(id).enrollment.json"
        let result = try await loa(["receivers", "enroll", id, "--output", path])
        guard result.status == 0 else {
            throw CommandFailed(command: "loa receivers enroll \(id)", status: result.status, stderr: result.stderr)
        }
        return path
    }

    /// The HTTPS listener's port, as the daemon kept it in `<state>/https-port`.
    public func httpsPort() throws -> Int {
        let text = try String(contentsOfFile: "\(stateDirectory)/https-port", encoding: .utf8)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return port
    }

    /// The embedded broker's loopback port.
    public func brokerPort() throws -> Int {
        let text = try String(contentsOfFile: "\(stateDirectory)/broker/port", encoding: .utf8)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return port
    }

    /// A client of the embedded broker's loopback listener with one of the daemon's own accounts: the
    /// observer (reads everything, sends nothing), as a technician's `mosquitto_sub` would, or the
    /// controller's (`controller: true`), for tests that play a compromised broker.
    public func brokerClient(_ clientID: String, controller: Bool = false) throws -> MQTTConfiguration {
        let kind = controller ? "controller" : "observer"
        let secret = try String(contentsOfFile: "\(stateDirectory)/broker/\(kind).secret", encoding: .utf8)
        let passwords = try String(contentsOfFile: "\(stateDirectory)/broker/passwords", encoding: .utf8)
        let prefix = controller ? "loa-ctl-" : "loa-obs-"
        let account = passwords.split(separator: "\n").first { $0.hasPrefix(prefix) }?.split(separator: ":").first
        return MQTTConfiguration(
            host: "127.0.0.1",
            port: try brokerPort(),
            clientID: clientID,
            username: account.map(String.init),
            password: secret.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    public func stop(signal: Int32 = SIGTERM) async -> Int32? {
        guard let process else { return nil }
        process.signal(signal)
        let status = await process.waitForExit(timeout: .seconds(10))
        if signal == SIGKILL {
            // The broker child ends by its parent-death signal; end a straggler as systemd's cgroup would.
            for pid in ProcessTable.pids(commandLineContaining: "\(stateDirectory)/broker") { kill(pid, SIGKILL) }
        }
        return status
    }

    deinit {
        process?.kill()
        for pid in ProcessTable.pids(commandLineContaining: "\(stateDirectory)/broker") { kill(pid, SIGKILL) }
    }
}
