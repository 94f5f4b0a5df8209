import Foundation
import LoaBroker
import LoaMQTT
import LoaTestSupport
import Testing

@Suite("MosquittoBroker child process")
struct MosquittoBrokerTests {
    @Test("writes a quiet loopback configuration and listens on its port")
    func configuration() async throws {
        try await TestBroker.withBroker { broker in
            let text = try String(contentsOfFile: broker.directory + "/mosquitto.conf", encoding: .utf8)
            #expect(text.contains("listener \(broker.port) 127.0.0.1"))
            #expect(text.contains("allow_anonymous true"))
            #expect(text.contains("persistence false"))
            // Audio due within the live lead is sent at once, not held back by Nagle for the previous ACK.
            #expect(text.contains("set_tcp_nodelay true"))
            #expect(!text.contains("log_type all"))
            #expect(text.contains("user root") == (geteuid() == 0))
            #expect(broker.isRunning)
            #expect(broker.processIdentifier != nil)
        }
    }

    @Test("a broker an earlier run left behind is replaced, on the port that run used")
    func anOrphanIsReplacedOnTheRememberedPort() async throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-orphan")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = TestBroker.logger("loa.test.orphan")
        let earlier = MosquittoBroker(directory: directory, logger: logger)
        try earlier.start()
        let orphan = try #require(earlier.processIdentifier)

        // A later run on the same directory, while the earlier child still holds the port.
        let later = MosquittoBroker(directory: directory, logger: logger)
        #expect(later.port == earlier.port)
        try later.start()
        defer { later.stop() }
        #expect(await earlier.waitForExit() != 0 || !earlier.isRunning)
        #expect(later.processIdentifier != orphan)
        #expect(later.port == earlier.port)
        let client = try await startedClient(clientConfiguration(later))
        client.shutdown()
    }

    @Test("a killed broker is noticed and restarts on the same port")
    func superviseAndRestart() async throws {
        try await TestBroker.withBroker { broker in
            let port = broker.port
            let pid = try #require(broker.processIdentifier)
            #expect(kill(pid, SIGKILL) == 0)
            #expect(await broker.waitForExit() == 128 + SIGKILL)
            #expect(!broker.isRunning)
            #expect(broker.processIdentifier == nil)

            try broker.start()
            #expect(broker.port == port)
            #expect(broker.isRunning)
            let client = try await startedClient(clientConfiguration(broker))
            client.shutdown()

            broker.stop()
            broker.stop()  // idempotent
            #expect(!broker.isRunning)
        }
    }

    @Test("start failures are clear errors that carry mosquitto's output")
    func startFailures() async throws {
        let directory = try TestBroker.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = TestBroker.logger("loa.test.broker")

        let missing = MosquittoBroker(directory: directory, executable: "/nonexistent/mosquitto", logger: logger)
        #expect(throws: MosquittoBrokerError.self) { try missing.start() }

        // A "broker" that complains and exits: its words end up in the error.
        let script = directory + "/failing-broker"
        try "#!/bin/sh\necho 'Error: simulated bad configuration' >&2\nexit 3\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        #expect(chmod(script, 0o755) == 0)
        let failing = MosquittoBroker(directory: directory, executable: script, logger: logger)
        let failure = try #require(throws: MosquittoBrokerError.self) { try failing.start() }
        #expect(failure.output.contains("simulated bad configuration"))
        #expect(failure.description.contains("simulated bad configuration"))
        #expect(await failing.waitForExit() == 3)

        try await TestBroker.withBroker { running in
            let clash = MosquittoBroker(directory: directory, port: running.port, logger: logger)
            let error = try #require(throws: MosquittoBrokerError.self) { try clash.start() }
            #expect(error.portInUse)
            #expect(error.description.contains("\(running.port)"))
            #expect(!clash.isRunning)
        }
    }
}
