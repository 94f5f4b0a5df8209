import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// `loa receiver` as a real process: its command line, its exit codes, and its availability on the broker.
@Suite("loa receiver as a process")
struct ReceiverProcessTests {
    static let key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

    @Test(arguments: [
        ["receiver", "--no-such-flag"],
        [
            "receiver", "--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--zone", "z", "--controller-key", key,
            "--telemetry-interval", "0",
        ],
        ["receiver", "--broker", "http://127.0.0.1", "--id", "rx-1", "--zone", "z", "--controller-key", key],
        ["receiver", "--broker", "mqtt://127.0.0.1:1883", "--id", "RX 1", "--zone", "z", "--controller-key", key],
        ["receiver", "--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--controller-key", key],
        [
            "receiver", "--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--zone", "z", "--controller-key", key,
            "--test-drop-audio", "2",
        ],
    ])
    func aBadFlagIsOneLineAndExit64(_ arguments: [String]) async throws {
        let result = try await LoaProcess.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1 && lines.first?.hasPrefix("loa: ") == true, "\(result.stderr)")
    }

    @Test(arguments: [nil, "/nonexistent/controller.pub", "not-a-key", "AAAA"])
    func aMissingOrMalformedControllerKeyIsExit78(_ key: String?) async throws {
        var arguments = ["receiver", "--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--zone", "z"]
        if let key { arguments += ["--controller-key", key] }
        let result = try await LoaProcess.run(arguments)
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("controller-key"), "\(result.stderr)")
        #expect(result.stderr.split(whereSeparator: \.isNewline).count == 1)
    }

    @Test func aBadConfigFileNamesFileAndLineAndExits78() async throws {
        let directory = try TestBroker.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/receiver.yaml"
        try "broker: mqtt://127.0.0.1:1883\nid: rx-1\nzone: z\nkeepalive: often\n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let result = try await LoaProcess.run(["receiver", "--config", path, "--controller-key", Self.key])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):4"), "\(result.stderr)")
    }

    @Test(arguments: [SIGTERM, SIGKILL])
    func theBrokerSaysOfflineWhenTheReceiverStops(_ signal: Int32) async throws {
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("proc"))
            defer { controller.shutdown() }
            let configuration = try TestBroker.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: configuration) }
            // Everything but the key from a config file, to exercise it.
            try """
            broker: mqtt://127.0.0.1:\(broker.port)
            site: \(controller.topics.site)
            id: rx-proc
            zone: thon-dong
            audio-device: null
            state-dir: \(configuration)/state
            keepalive: 5
            """.write(toFile: "\(configuration)/receiver.yaml", atomically: true, encoding: .utf8)
            let process = try LoaProcess([
                "receiver", "--config", "\(configuration)/receiver.yaml", "--controller-key", controller.publicKeyText,
                "--log-level", "warning",
            ])
            defer { process.kill() }
            #expect(await controller.waitUntilOnline("rx-proc"), "stderr: \(process.stderr)")
            process.signal(signal)
            let status = await process.waitForExit(timeout: .seconds(20))
            if signal == SIGTERM { #expect(status == 0, "stderr: \(process.stderr)") }
            // SIGTERM: the receiver's own goodbye; SIGKILL: the broker's will (at once, the socket closed).
            #expect(await eventually(timeout: .seconds(20)) { controller.statuses(of: "rx-proc").last == .offline })

            // And what a newcomer sees is the retained status: offline.
            let watcher = try await TestController(broker: broker, site: controller.topics.site)
            defer { watcher.shutdown() }
            #expect(await eventually(timeout: .seconds(10)) { watcher.statuses(of: "rx-proc") == [.offline] })
        }
    }
}
