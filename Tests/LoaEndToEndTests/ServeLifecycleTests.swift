import Foundation
import LoaBroker
import LoaMQTT
import LoaTestSupport
import Testing

/// `loa serve` as a real process on an embedded broker, checked only through `loa health`, as a
/// technician's monitoring system would.
@Suite("loa serve on the embedded broker", .serialized)
struct ServeLifecycleTests {
    @Test func noArgumentsComesUpHealthyAndSIGTERMLeavesNoBrokerBehind() async throws {
        // Exactly what a newcomer types: no flags at all, in a fresh checkout-like directory.
        let serve = try LoaProcess(["serve"])
        defer { serve.kill() }
        let healthy = await eventually(timeout: .seconds(30), every: .milliseconds(250)) {
            (try? await LoaProcess.run(["health"], directory: serve.directory))?.status == 0
        }
        #expect(healthy, "loa health never said OK; serve's stderr:\n\(serve.stderr)")
        // In the same directory, `loa` finds the daemon's sockets in ./.loa, as `loa serve` put its state there.
        let health = try await LoaProcess.run(["health"], directory: serve.directory)
        #expect(health.stdout.hasPrefix("LOA OK - broker connected, audio ok, store ok | receivers_online=0"))

        let stateDirectory = "\(serve.directory)/.loa"
        #expect(FileManager.default.fileExists(atPath: "\(stateDirectory)/loa.sqlite"))
        let brokers = ProcessTable.pids(commandLineContaining: "\(stateDirectory)/broker")
        #expect(brokers.count == 1, "expected one embedded mosquitto, found \(brokers)")

        serve.signal(SIGTERM)
        let status = await serve.waitForExit(timeout: .seconds(5))
        #expect(status == 0, "serve did not exit 0 within 5 s after SIGTERM; stderr:\n\(serve.stderr)")
        #expect(ProcessTable.pids(commandLineContaining: "\(stateDirectory)/broker").isEmpty)
    }

    @Test func killedBrokerChildIsCriticalThenRestarted() async throws {
        let port = try MosquittoBroker.freePort()
        let url = "http://127.0.0.1:\(port)"
        let serve = try LoaProcess([
            "serve", "--http", "127.0.0.1:\(port)", "--https", "127.0.0.1:0", "--audio-device", "null",
        ])
        defer { serve.kill() }
        // Through the control socket, as on the gateway: the whole report (over TCP, without a token, only the status).
        let local = ["LOA_CONTROL_SOCKET": "\(serve.directory)/.loa/control.sock"]
        let up = await eventually(timeout: .seconds(30), every: .milliseconds(250)) {
            (try? await LoaProcess.run(["health", "--url", url], environment: local))?.status == 0
        }
        try #require(up, "serve never became healthy; stderr:\n\(serve.stderr)")

        let brokers = ProcessTable.pids(commandLineContaining: "\(serve.directory)/.loa/broker")
        try #require(brokers.count == 1)
        kill(brokers[0], SIGKILL)

        var critical: (status: Int32, stdout: String, stderr: String)?
        let sawCritical = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
            critical = try? await LoaProcess.run(["health", "--url", url], environment: local)
            return critical?.status == 2
        }
        #expect(sawCritical, "loa health never reported CRITICAL after the broker died")
        #expect(critical?.stdout.hasPrefix("LOA CRITICAL - broker") == true, "\(critical?.stdout ?? "")")

        let recovered = await eventually(timeout: .seconds(20), every: .milliseconds(250)) {
            (try? await LoaProcess.run(["health", "--url", url], environment: local))?.status == 0
        }
        #expect(recovered, "loa health never recovered after the broker restart; stderr:\n\(serve.stderr)")
        let restarted = ProcessTable.pids(commandLineContaining: "\(serve.directory)/.loa/broker")
        #expect(restarted.count == 1 && restarted != brokers)

        serve.signal(SIGTERM)
        #expect(await serve.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func healthIsCriticalWhenNoDaemonAnswers() async throws {
        let port = try MosquittoBroker.freePort()
        let result = try await LoaProcess.run(["health", "--url", "http://127.0.0.1:\(port)"])
        #expect(result.status == 2)
        #expect(result.stdout.hasPrefix("LOA CRITICAL - daemon unreachable at http://127.0.0.1:\(port)"))
    }

    @Test func versionNamesTheLinkedLibraries() async throws {
        let result = try await LoaProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("libmosquitto 2."))
        #expect(result.stdout.contains("alsa-lib 1."))
    }
}
