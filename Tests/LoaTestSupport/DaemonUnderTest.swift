import Foundation
import LoaMQTT

/// A real `loa serve` for end-to-end tests: its own state dir, the sample commune from `device-configs/`,
/// the HTTP API on a free port, and helpers to run CLI commands against it.
public final class DaemonUnderTest: @unchecked Sendable {
    public let directory: String
    public let port: Int
    public let extraArguments: [String]
    public let deviceConfigs: String
    public private(set) var process: LoaProcess?

    /// The repository's `device-configs/`, found from this source file.
    public static var sampleDeviceConfigs: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("device-configs").path
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    public var stateDirectory: String { "\(directory)/state" }
    /// The control socket, which `loa` uses for health, announce, stop and volume.
    public var controlSocket: String { "\(stateDirectory)/control.sock" }

    /// Starts `loa serve` and waits until `loa health` says OK.
    public init(
        arguments: [String] = ["--audio-device", "null"],
        directory: String? = nil,
        deviceConfigs: String? = nil
    ) async throws {
        self.directory = try directory ?? TestBroker.makeTemporaryDirectory(prefix: "loa-daemon")
        self.deviceConfigs = deviceConfigs ?? Self.sampleDeviceConfigs
        port = try MosquittoBroker.freePort()
        extraArguments = arguments
        try await start()
    }

    /// Starts `loa serve` and waits until `loa health` says OK, or (`healthy: false`) until it answers at all.
    public func start(healthy: Bool = true) async throws {
        let serve = try LoaProcess(
            ["serve", "--http", "127.0.0.1:\(port)", "--state-dir", stateDirectory, "--device-configs", deviceConfigs]
                + extraArguments,
            directory: directory
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

    /// Runs `loa ARGUMENTS --url …` against this daemon.
    public func loa(
        _ arguments: [String],
        user: String? = "chu-tich",
        timeout: Duration = .seconds(30)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ["LOA_URL": url, "LOA_CONTROL_SOCKET": controlSocket]
        if let user { environment["LOA_USER"] = user }
        return try await LoaProcess.run(arguments, directory: directory, environment: environment, timeout: timeout)
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
