import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `loa serve` as a real process on a test broker, with receivers simulated by MQTT clients (birth, will,
/// telemetry), checked through `loa receivers`, `loa health` and `GET /metrics`.
@Suite("Receiver monitor end to end", .serialized)
struct ReceiverMonitorEndToEndTests {
    let topics = try! TopicTree(site: "xa-an-phu")
    static let ids = ["rx-dong-01", "rx-dong-02", "rx-tay-01", "rx-bai-01", "rx-tt-01"]

    /// A copy of the sample commune with a fast monitor: 1 s telemetry interval, alerts after 0.5 s.
    static func configs() throws -> String {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        try """
        silence:
          telemetry-interval: 1
        alerts:
          group-wait: 0.5
        """.write(toFile: "\(configs)/monitoring.yaml", atomically: true, encoding: .utf8)
        return configs
    }

    func receiver(_ id: String, broker: MosquittoBroker) async throws -> MQTTClient {
        func status(_ state: AvailabilityStatus.State) -> BusMessage {
            BusMessage(
                topic: topics.receiverStatus(id),
                payload: AvailabilityStatus(state: state, version: "0.1.0").encoded(),
                delivery: .atLeastOnce,
                retain: true
            )
        }
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                host: "127.0.0.1",
                port: broker.port,
                clientID: id,
                birth: status(.online),
                will: status(.offline)
            ),
            logger: TestBroker.logger("loa.test.\(id)")
        )
        try client.start()
        #expect(await client.waitUntilConnected(timeout: .seconds(10)))
        return client
    }

    func report(_ client: MQTTClient, _ id: String, _ telemetry: Telemetry) throws {
        try client.publish(
            BusMessage(topic: topics.receiverTelemetry(id), payload: Array(try JSONEncoder().encode(telemetry)))
        )
    }

    func receivers(_ daemon: DaemonUnderTest, _ arguments: [String] = []) async throws -> [ReceiverStatus] {
        let result = try await daemon.loa(["receivers", "--json"] + arguments)
        try #require(result.status == 0, "\(result.stderr)")
        return try APICoding.decoder().decode([ReceiverStatus].self, from: Data(result.stdout.utf8))
    }

    /// `loa health` once its answer satisfies `done`, or its last answer: the health report's receiver counts
    /// follow the monitor's states a moment later (they are updated with the transitions' store write).
    func health(
        _ daemon: DaemonUnderTest,
        _ arguments: [String] = [],
        until done: @escaping (Int32, String) -> Bool
    ) async -> (status: Int32, stdout: String, stderr: String) {
        var last: (status: Int32, stdout: String, stderr: String) = (-1, "", "")
        _ = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
            guard let result = try? await daemon.loa(["health"] + arguments) else { return false }
            last = result
            return done(result.status, result.stdout)
        }
        return last
    }

    func states(_ daemon: DaemonUnderTest) async -> [String: ReceiverState] {
        let list = (try? await receivers(daemon)) ?? []
        return Dictionary(list.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func receiversHealthAndMetricsFollowTheReceivers() async throws {
        try await TestBroker.withBroker { broker in
            let daemon = try await DaemonUnderTest(
                arguments: ["--audio-device", "null", "--broker", "mqtt://127.0.0.1:\(broker.port)"],
                deviceConfigs: try Self.configs()
            )
            defer { _ = daemon }

            // Nothing heard yet: every receiver unknown, and health OK (never seen is not down).
            let initial = try await receivers(daemon)
            #expect(initial.map(\.id) == Self.ids)
            #expect(initial.allSatisfy { $0.state == .unknown })
            let quiet = try await daemon.loa(["health"])
            #expect(quiet.status == 0)
            #expect(
                quiet.stdout.hasPrefix(
                    "LOA OK - broker connected, audio ok, store ok, 0 of 5 receivers online (5 never seen) | "
                )
            )

            // All five up, reporting with a long interval.
            var clients: [String: MQTTClient] = [:]
            for id in Self.ids {
                clients[id] = try await receiver(id, broker: broker)
                try report(
                    clients[id]!,
                    id,
                    Telemetry(interval: 3600, signal: .init(rssi: -71, network: "4g"), volume: 80)
                )
            }
            defer { for client in clients.values { client.shutdown() } }
            // Online (their birth) and with their telemetry (a separate message, maybe handled a moment later).
            let allUp = await eventually(timeout: .seconds(10)) {
                let list = (try? await receivers(daemon)) ?? []
                return list.count == Self.ids.count
                    && list.allSatisfy { $0.state == .online && $0.telemetry?.signal?.rssi == -71 }
            }
            #expect(allUp)
            let expectedOK =
                "LOA OK - broker connected, audio ok, store ok, 5 of 5 receivers online | receivers_online=5;;;0;5 receivers_offline=0;;;0;5 receivers_lost=0;;;0;5 receivers_degraded=0;;;0;5 receivers_down=0;1;3;0;5\n"
            let ok = await health(daemon) { $1 == expectedOK }
            #expect(ok.status == 0)
            #expect(ok.stdout == expectedOK)

            // The table on a pipe: no colour, every id, every name whole (no terminal, no width to cut to); as
            // wide as COLUMNS says when it is set.
            let table = try await daemon.loa(["receivers"])
            #expect(table.status == 0)
            #expect(!table.stdout.contains("\u{1B}["))
            #expect(table.stdout.contains("Cụm loa nhà văn hóa thôn Đông  thon-dong"), "\(table.stdout)")
            let narrow = try await LoaProcess.run(
                ["receivers"],
                directory: daemon.directory,
                environment: daemon.localEnvironment.merging(["COLUMNS": "80"]) { $1 }
            )
            #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(narrow.stdout)")
            #expect(narrow.stdout.contains("…"), "\(narrow.stdout)")
            #expect(table.stdout.hasPrefix("ID          NAME"))
            #expect(table.stdout.contains("-71 4g"))
            #expect(table.stdout.hasSuffix("5 receivers: 5 online\n"))

            // One offline (a clean goodbye): WARNING, unless the threshold says otherwise.
            clients["rx-tay-01"]!.abortConnectionForTesting()
            clients["rx-tay-01"]!.shutdown()
            #expect(await eventually(timeout: .seconds(10)) { await states(daemon)["rx-tay-01"] == .offline })
            let warning = await health(daemon) { status, _ in status == 1 }
            #expect(warning.status == 1)
            #expect(
                warning.stdout.hasPrefix("LOA WARNING - 1 of 5 receivers down: 1 offline (rx-tay-01), broker connected")
            )
            #expect(warning.stdout.contains("receivers_offline=1;;;0;5"))
            #expect(try await daemon.loa(["health", "--warn-offline", "2"]).status == 0)
            let critical = try await daemon.loa(["health", "--critical-offline", "1"])
            #expect(critical.status == 2)
            #expect(critical.stdout.hasPrefix("LOA CRITICAL - 1 of 5 receivers down"))

            // Filters.
            #expect(try await receivers(daemon, ["--state", "offline"]).map(\.id) == ["rx-tay-01"])
            #expect(try await receivers(daemon, ["--zone", "thon-dong"]).map(\.id) == ["rx-dong-01", "rx-dong-02"])
            let badZone = try await daemon.loa(["receivers", "--zone", "thon-xa"])
            #expect(badZone.status == 64)
            #expect(badZone.stderr.contains("zone 'thon-xa' is not in the inventory"))
            #expect(try await daemon.loa(["receivers", "--state", "asleep"]).status == 64)

            // Two more go silent with their connection up: lost after 3 intervals; 3 of 5 down is CRITICAL.
            for id in ["rx-bai-01", "rx-tt-01"] { try report(clients[id]!, id, Telemetry(interval: 1)) }
            #expect(
                await eventually(timeout: .seconds(10)) {
                    let now = await states(daemon)
                    return now["rx-bai-01"] == .lost && now["rx-tt-01"] == .lost
                }
            )
            let down = await health(daemon) { _, stdout in stdout.contains("receivers_down=3;") }
            #expect(down.status == 2)
            #expect(
                down.stdout.hasPrefix(
                    "LOA CRITICAL - 3 of 5 receivers down: 1 offline, 2 lost (rx-bai-01, rx-tay-01, rx-tt-01)"
                )
            )
            #expect(down.stdout.contains("receivers_lost=2;;;0;5"))
            #expect(down.stdout.contains("receivers_down=3;1;3;0;5"))
            #expect(try await daemon.loa(["health", "--critical-share", "80"]).status == 1)
            #expect(try await daemon.loa(["health", "--critical-share", "150"]).status == 64)

            // One receiver in detail, with its history.
            // (Its history is read from the store, where the monitor writes transitions a moment after them.)
            var detail: ReceiverDetail?
            _ = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
                let shown = try? await daemon.loa(["receivers", "show", "rx-bai-01", "--json"])
                detail = shown.flatMap {
                    try? APICoding.decoder().decode(ReceiverDetail.self, from: Data($0.stdout.utf8))
                }
                return detail?.history.map(\.to) == [.lost, .online]
            }
            #expect(detail?.history.map(\.to) == [.lost, .online])
            #expect(detail?.availability.day != nil)
            let show = try await daemon.loa(["receivers", "show", "rx-bai-01"])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("state         lost since"))
            #expect(show.stdout.contains("History (newest first)"))
            #expect(show.stdout.contains("no telemetry for 3 s"))
            let missing = try await daemon.loa(["receivers", "show", "rx-nowhere"])
            #expect(missing.status == 64)
            #expect(missing.stderr.contains("receiver 'rx-nowhere' is not known"))

            // Recovery within one interval.
            try report(clients["rx-bai-01"]!, "rx-bai-01", Telemetry(interval: 3600))
            #expect(await eventually(timeout: .seconds(2)) { await states(daemon)["rx-bai-01"] == .online })

            // /metrics in the Prometheus text format.
            let (body, response) = try await daemon.fetch("/metrics")
            let text = String(decoding: body, as: UTF8.self)
            #expect(response.statusCode == 200)
            #expect(
                response.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain")
                    == true
            )
            #expect(text.contains("# TYPE loa_receivers gauge"))
            #expect(text.contains(#"loa_receivers{state="offline"} 1"#))
            #expect(text.contains(#"loa_receivers{state="lost"} 1"#))
            #expect(text.contains("loa_broker_connected 1"))
            #expect(text.contains(#"loa_receiver_up{receiver="rx-tay-01",zone="thon-tay"} 0"#))
            #expect(text.contains("# TYPE loa_receiver_messages_total counter"))
            #expect(text.contains("loa_receiver_underruns_total"))
            #expect(text.contains(#"loa_receiver_alerts_total{kind="offline"}"#))
            #expect(await daemon.stop() == 0)
        }
    }

    @Test func aBadMonitoringFileStopsStartWithItsLine() async throws {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        try "alerts:\n  flap_window: 60\n".write(
            toFile: "\(configs)/monitoring.yaml",
            atomically: true,
            encoding: .utf8
        )
        let directory = try TestBroker.makeTemporaryDirectory()
        let result = try await LoaProcess.run(
            [
                "serve", "--device-configs", configs, "--state-dir", "\(directory)/state", "--http",
                "127.0.0.1:\(try MosquittoBroker.freePort())",
            ],
            directory: directory
        )
        #expect(result.status == 78)
        #expect(
            result.stderr.contains("monitoring.yaml:2: alerts.flap_window is not a known setting"),
            "\(result.stderr)"
        )
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
