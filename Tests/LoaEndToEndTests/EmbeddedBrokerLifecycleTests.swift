import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// The embedded broker belongs to the daemon: it never outlives it, and a restarted daemon listens where its
/// receivers already look.
@Suite("The embedded broker's lifetime")
struct EmbeddedBrokerLifecycleTests {
    struct HealthOutput: Decodable {
        let report: HealthReport?
    }

    func brokerURL(_ daemon: DaemonUnderTest) async throws -> String? {
        let health = try await daemon.loa(["health", "--json"])
        return try JSONDecoder().decode(HealthOutput.self, from: Data(health.stdout.utf8)).report?.brokerURL
    }

    func brokerPID(_ daemon: DaemonUnderTest) throws -> Int32 {
        let text = try String(contentsOfFile: "\(daemon.stateDirectory)/broker/mosquitto.pid", encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    static func isRunning(_ pid: Int32) -> Bool {
        !(FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()).isEmpty
    }

    @Test func aKilledDaemonTakesItsBrokerWithItAndARestartKeepsTheAddress() async throws {
        let daemon = try await DaemonUnderTest(arguments: ["--audio-device", "none"])
        let before = try #require(try await brokerURL(daemon))
        let broker = try brokerPID(daemon)
        #expect(Self.isRunning(broker))

        let process = try #require(daemon.process)
        process.signal(SIGKILL)
        _ = await process.waitForExit(timeout: .seconds(10))
        #expect(
            await eventually(timeout: .seconds(10)) { !Self.isRunning(broker) },
            "the embedded mosquitto (pid \(broker)) outlived the SIGKILLed daemon"
        )

        try await daemon.start()
        #expect(try await brokerURL(daemon) == before)
        #expect(try brokerPID(daemon) != broker)
        _ = await daemon.stop()
    }
}
