import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// `loa serve` under a stand-in for systemd: READY=1 only when healthy, watchdog pings while alive, and no
/// pings once the audio thread is stuck.
@Suite("systemd notifications")
struct SystemdNotifyTests {
    @Test func readyAfterHealthyAndWatchdogPingsUntilTheAudioThreadStalls() async throws {
        let notify = try NotifySocket()
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-notify-daemon")
        let port = try LoaMQTTFreePort.next()
        let serve = try LoaProcess(
            [
                "serve", "--http", "127.0.0.1:\(port)", "--state-dir", "\(directory)/state", "--audio-device", "null",
                "--device-configs", DaemonUnderTest.sampleDeviceConfigs, "--https", "127.0.0.1:0",
            ],
            directory: directory,
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000", "LOA_TEST_STALL_AUDIO_AFTER": "4"]
        )
        defer { serve.kill() }

        let ready = await eventually(timeout: .seconds(30), every: .milliseconds(20)) {
            !notify.instants(of: "READY=1").isEmpty
        }
        #expect(ready, "no READY=1; stderr: \(serve.stderr)")
        // At the moment READY arrived the daemon must already answer healthy.
        let health = try await LoaProcess.run(
            ["health", "--url", "http://127.0.0.1:\(port)"],
            environment: ["LOA_CONTROL_SOCKET": "\(directory)/state/control.sock"]
        )
        #expect(health.status == 0, "\(health.stdout) \(health.stderr)")

        // Pings every half interval while alive.
        let pinged = await eventually(timeout: .seconds(3), every: .milliseconds(50)) {
            notify.instants(of: "WATCHDOG=1").count >= 3
        }
        let pings = notify.instants(of: "WATCHDOG=1")
        #expect(pinged, "only \(pings.count) watchdog pings in 3 s")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 < .seconds(1) }, "a gap between pings reached the watchdog interval: \(gaps)")

        // The audio thread stalls 4 s after it opened; within the tolerance (3 s) the pings stop. At each tick
        // the daemon then logs `watchdog.withheld` instead of pinging.
        func withheld() -> Int { serve.stderr.components(separatedBy: "watchdog.withheld").count - 1 }
        let stalled = await eventually(timeout: .seconds(10), every: .milliseconds(50)) { withheld() >= 1 }
        #expect(stalled, "the pings were never withheld; stderr: \(serve.stderr)")
        // A ping sent the tick before may still be on its way through the socket: count from the next tick on, then
        // let two more ticks go by.
        _ = await eventually(timeout: .seconds(5), every: .milliseconds(50)) { withheld() >= 2 }
        let before = notify.instants(of: "WATCHDOG=1").count
        let ticks = withheld()
        let twoMore = await eventually(timeout: .seconds(5), every: .milliseconds(50)) { withheld() >= ticks + 2 }
        #expect(twoMore, "the watchdog loop stopped ticking; stderr: \(serve.stderr)")
        #expect(notify.instants(of: "WATCHDOG=1").count == before, "pings went on with a stuck audio thread")

        serve.signal(SIGTERM)
        #expect(await serve.waitForExit(timeout: .seconds(10)) == 0)
        #expect(!notify.instants(of: "STOPPING=1").isEmpty)
    }
}

/// A free TCP port on 127.0.0.1.
enum LoaMQTTFreePort {
    static func next() throws -> Int { try LoaBroker.MosquittoBroker.freePort() }
}
