import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaTestSupport
import Synchronization
import Testing

/// Issue 14: the attacks measured on an anonymous broker, replayed against `loa serve`'s embedded mosquitto,
/// from an anonymous client and from a valid device's credential (receiver A, `rx-dong-01`, over TLS on the
/// field listener). Each is judged from the outside: a subscriber entitled to see the message (the
/// observer, which reads everything) receives nothing, and the monitor and the broadcast log stay truthful.
@Suite("Broker access end to end", .serialized)
struct BrokerAccessTests {
    /// A client that keeps every message it receives, with a marker search.
    final class Recorder: Sendable {
        let client: MQTTClient
        private let received = Mutex<[BusMessage]>([])
        private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

        init(_ configuration: MQTTConfiguration, subscribe filters: [String]) throws {
            client = try MQTTClient(configuration: configuration, logger: TestBroker.logger("recorder"))
            for filter in filters { try client.subscribe(to: filter, delivery: .atLeastOnce) }
            try client.start()
            let client = client
            let recording = Task { [weak self] in
                for await message in client.messages { self?.received.withLock { $0.append(message) } }
            }
            task.withLock { $0 = recording }
        }

        var messages: [BusMessage] { received.withLock { $0 } }

        /// The messages whose payload holds `marker`.
        func carrying(_ marker: String) -> [BusMessage] {
            messages.filter { String(decoding: $0.payload, as: UTF8.self).contains(marker) }
        }

        func stop() {
            task.withLock { $0?.cancel() }
            client.shutdown()
        }
    }

    /// A client that must never get in: it gets no CONNACK within `wait` (by then a permitted client is long
    /// connected), and the reason it kept is returned.
    static func refusal(_ configuration: MQTTConfiguration, wait: Duration = .seconds(3)) async throws -> String? {
        let client = try MQTTClient(configuration: configuration, logger: TestBroker.logger("refused"))
        defer { client.shutdown() }
        try client.start()
        let connected = await client.waitUntilConnected(timeout: wait)
        return connected ? nil : (client.lastError.map { "\($0)" } ?? "no answer")
    }

    @Test func anonymousClientsPlaintextAndBorrowedClientIDsAreRefused() async throws {
        let site = try await LiveSite(label: "broker-anonymous")
        defer { site.shutdown() }
        let field = try site.deviceClient("rx-dong-01")
        let loopbackPort = try site.daemon.brokerPort()

        // Anonymous, on either listener.
        let anonymousLoopback = try await Self.refusal(
            MQTTConfiguration(host: "127.0.0.1", port: loopbackPort, clientID: "anonymous")
        )
        #expect(anonymousLoopback?.contains("Not authorized") == true, "\(anonymousLoopback ?? "connected")")
        var anonymousField = field
        (anonymousField.username, anonymousField.password, anonymousField.clientID) = (nil, nil, "anonymous")
        let refusedField = try await Self.refusal(anonymousField)
        #expect(refusedField?.contains("Not authorized") == true, "\(refusedField ?? "connected")")

        // A device's good credential, in plaintext on the field port.
        var plaintext = field
        plaintext.tls = nil
        #expect(try await Self.refusal(plaintext) != nil, "plaintext was accepted on the field port")

        // The same credential, with a wrong password.
        var guessed = field
        guessed.password = "not-the-secret"
        let wrongPassword = try await Self.refusal(guessed)
        #expect(wrongPassword?.contains("Not authorized") == true, "\(wrongPassword ?? "connected")")

        // Receiver B runs; A's credential, with B's client id, does not kick it off: on the field listener a
        // client's id is its account.
        try site.startReceiver("rx-tay-01", zone: "thon-tay")
        try #require(await site.waitUntilOnline(["rx-tay-01"]))
        let before = site.statuses(of: "rx-tay-01").count
        var impostor = field
        impostor.clientID = BrokerAccount.receiverName(site: LiveSite.site, id: "rx-tay-01")
        let borrowed = try MQTTClient(configuration: impostor, logger: TestBroker.logger("impostor"))
        defer { borrowed.shutdown() }
        try borrowed.start()
        try #require(await borrowed.waitUntilConnected(timeout: .seconds(10)))
        // Reconnecting four times in four seconds kicked B off each time before.
        for _ in 0..<4 {
            borrowed.abortConnectionForTesting()
            _ = await borrowed.waitUntilConnected(timeout: .seconds(5))
        }
        try await Task.sleep(for: .seconds(1))
        #expect(site.statuses(of: "rx-tay-01").count == before, "B's status changed: \(site.statuses(of: "rx-tay-01"))")
        #expect(site.receivers.first { $0.id == "rx-tay-01" }?.process.stderr.contains("mqtt.disconnected") != true)
    }

    @Test func aDevicesCredentialReachesOnlyItsOwnTopics() async throws {
        let site = try await LiveSite(label: "broker-acl")
        defer { site.shutdown() }
        try site.startReceiver("rx-tay-01", zone: "thon-tay")
        try #require(await site.waitUntilOnline(["rx-tay-01"]))
        let topics = site.topics
        let marker = "forged-\(UInt32.random(in: 0...UInt32.max))"

        // The observer reads everything under the root: it is entitled to see every message below.
        let observer = try Recorder(site.daemon.brokerClient("acl-observer"), subscribe: ["\(topics.root)/#"])
        defer { observer.stop() }
        // Receiver A's credential, subscribing to everything and to B's topics.
        let device = try Recorder(
            try site.deviceClient("rx-dong-01"),
            subscribe: [
                "loa/#", "#", topics.receiverStatus("rx-tay-01"), "\(topics.root)/rx/rx-tay-01/#",
                topics.commands(.receiver("rx-tay-01")), topics.audio(.zone("thon-tay")),
            ]
        )
        defer { device.stop() }
        try #require(await observer.client.waitUntilConnected(timeout: .seconds(10)))
        try #require(await device.client.waitUntilConnected(timeout: .seconds(10)))

        // What A's account may not publish: B's status, telemetry and events, invented receivers' events, and
        // everything that is the controller's.
        let forbidden = [
            topics.receiverStatus("rx-tay-01"), topics.receiverTelemetry("rx-tay-01"),
            topics.receiverEvents("rx-tay-01"), topics.receiverEvents("rx-invented-1"), topics.commands(.all),
            topics.commands(.zone("thon-tay")), topics.commands(.receiver("rx-tay-01")), topics.audio(.all),
            topics.audio(.zone("thon-dong")), topics.alerts, topics.controllerStatus, topics.controllerKey,
        ]
        for topic in forbidden {
            try device.client.publish(
                BusMessage(topic: topic, payload: Array("{\"v\":1,\"\(marker)\":1}".utf8), delivery: .atLeastOnce)
            )
        }
        // And one it may: its own telemetry, which the observer must see (so the others had time to arrive).
        let allowed = topics.receiverTelemetry("rx-dong-01")
        try device.client.publish(
            BusMessage(topic: allowed, payload: Array("{\"v\":1,\"\(marker)\":2}".utf8), delivery: .atLeastOnce)
        )
        try #require(
            await eventually(timeout: .seconds(10)) { observer.carrying(marker).contains { $0.topic == allowed } },
            "the observer never saw A's own telemetry"
        )
        // Commands to B and to A: only A's reaches A. Then a command for everyone, which A may hear.
        for volume in [["--receivers", "rx-tay-01"], ["--zones", "thon-tay"], ["--receivers", "rx-dong-01"]] {
            let result = try await site.daemon.loa(["volume", "70"] + volume)
            try #require(result.status == 0, "\(result.stderr)")
        }
        try #require(
            await eventually(timeout: .seconds(10)) {
                device.messages.contains { $0.topic == topics.commands(.receiver("rx-dong-01")) }
            },
            "A never received its own command"
        )
        try await Task.sleep(for: .milliseconds(500))

        let leaked = observer.carrying(marker).filter { $0.topic != allowed }
        #expect(leaked.isEmpty, "A's account published on \(leaked.map(\.topic))")
        let mayRead = Set(
            BrokerAccount.receiver(id: "rx-dong-01", zone: "thon-dong", topics: topics).reads
        )
        let overheard = device.messages.filter { !mayRead.contains($0.topic) }
        #expect(overheard.isEmpty, "A's account received \(Set(overheard.map(\.topic)))")
        #expect(observer.messages.contains { $0.topic == topics.commands(.receiver("rx-tay-01")) })

        // The monitor and the broadcast log are unmoved: B is online (it runs), nothing invented is listed.
        let receivers = try await site.daemon.loa(["receivers", "--json"])
        let list = try APICoding.decoder().decode([ReceiverStatus].self, from: Data(receivers.stdout.utf8))
        #expect(list.first { $0.id == "rx-tay-01" }?.state == .online)
        #expect(!list.contains { $0.id == "rx-invented-1" })
        // The controller's retained status is still `online`.
        #expect(
            observer.messages.last { $0.topic == topics.controllerStatus }.flatMap {
                try? AvailabilityStatus(decoding: $0.payload)
            }?.state == .online
        )
    }

    @Test func aRevokedDeviceIsDroppedAndRefusedAndReenrollingIssuesANewSecret() async throws {
        let site = try await LiveSite(label: "broker-revoke")
        defer { site.shutdown() }
        let receiver = try site.startReceiver("rx-bai-01", zone: "xom-bai")
        try #require(await site.waitUntilOnline(["rx-bai-01"]))
        let old = try site.deviceClient("rx-bai-01")

        let revoked = try await site.daemon.loa(["receivers", "revoke", "rx-bai-01"])
        try #require(revoked.status == 0, "\(revoked.stderr)")
        // Dropped within 5 s of the revocation, and refused when it tries again: the device says so itself.
        #expect(
            await eventually(timeout: .seconds(5), every: .milliseconds(20)) {
                receiver.process.stderr.contains("Not authorized")
            },
            "rx-bai-01 was not dropped and refused within 5 s: \(receiver.process.stderr.suffix(2_000))"
        )
        // Its retained status says offline (the controller's, since the broker sends no will for it), and the
        // monitor agrees.
        #expect(await eventually(timeout: .seconds(5)) { site.statuses(of: "rx-bai-01").last == .offline })
        #expect(
            await eventually(timeout: .seconds(10)) {
                guard let result = try? await site.daemon.loa(["receivers", "--json"]),
                    let list = try? APICoding.decoder().decode([ReceiverStatus].self, from: Data(result.stdout.utf8))
                else { return false }
                return list.first { $0.id == "rx-bai-01" }?.state == .offline
            }
        )
        try await Task.sleep(for: .seconds(2))
        #expect(site.statuses(of: "rx-bai-01").last == .offline, "it came back: \(site.statuses(of: "rx-bai-01"))")
        let refused = try await Self.refusal(old)
        #expect(refused?.contains("Not authorized") == true, "\(refused ?? "connected")")
        let again = try await site.daemon.loa(["receivers", "revoke", "rx-bai-01"])
        #expect(again.status != 0 && again.stderr.contains("no credential in force"))

        // Enrolling again issues a new secret: the old one stays refused, the new one gets in.
        let path = "\(site.directory)/rx-bai-01.new.enrollment"
        let enrolled = try await site.daemon.loa(["receivers", "enroll", "rx-bai-01", "--output", path])
        try #require(enrolled.status == 0, "\(enrolled.stderr)")
        let fresh = try #require(try Enrollment.parse(String(contentsOfFile: path, encoding: .utf8)).first)
        #expect(fresh.password != old.password)
        #expect(enrolled.stdout.hasPrefix(Enrollment.lineScheme))
        #expect(try Enrollment.parse(enrolled.stdout).first == fresh)
        #expect(try await Self.refusal(old) != nil)
        let client = try MQTTClient(
            configuration: LiveSite.deviceClient(fresh, directory: site.directory),
            logger: TestBroker.logger("fresh")
        )
        defer { client.shutdown() }
        try client.start()
        #expect(await client.waitUntilConnected(timeout: .seconds(10)))

        // A receiver not in the inventory has no account to enroll.
        let stranger = try await site.daemon.loa(["receivers", "enroll", "rx-ghost", "--output", path + ".ghost"])
        #expect(stranger.status != 0 && stranger.stderr.contains("not in device-configs/receivers.yaml"))
    }

    /// A receiver checks the broker: the CA its enrollment names, and the name it dialled. The field certificate
    /// here holds only `localhost`; dialled as `localhost` it connects, as `127.0.0.1` (a name the certificate
    /// does not hold) or with another CA it refuses the broker and never comes online.
    @Test func aReceiverRefusesABrokerWithTheWrongCAOrTheWrongName() async throws {
        let daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "null", "--field-listener", "127.0.0.1:0", "--field-names", "localhost"]
        )
        let path = try await daemon.enroll("rx-tay-01")
        let enrollment = try #require(try Enrollment.parse(String(contentsOfFile: path, encoding: .utf8)).first)
        let url = try #require(enrollment.brokers.first)
        let port = try #require(URLComponents(string: url)?.port)
        #expect(enrollment.brokers == ["mqtts://localhost:\(port)"])

        // Another CA, made here, in an otherwise genuine enrollment.
        let otherCA = "\(daemon.directory)/other-ca"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            otherCA + ".key", "-out", otherCA + ".pem", "-days", "30", "-subj", "/CN=Not the gateway",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        var forged = enrollment
        forged.ca = try String(contentsOfFile: otherCA + ".pem", encoding: .utf8)
        let forgedPath = "\(daemon.directory)/other-ca.enrollment"
        try JSONEncoder().encode(forged).write(to: URL(fileURLWithPath: forgedPath))

        func receiver(_ file: String, _ extra: [String] = []) throws -> LoaProcess {
            try LoaProcess(
                ["receiver", "--enrollment", file, "--audio-device", "none", "--state-dir", file + ".state"] + extra,
                directory: daemon.directory
            )
        }
        let wrongName = try receiver(path, ["--broker", "mqtts://127.0.0.1:\(port)"])
        let wrongCA = try receiver(forgedPath)
        defer {
            wrongName.kill()
            wrongCA.kill()
        }
        #expect(
            await eventually(timeout: .seconds(15)) {
                wrongName.stderr.contains("TLS error") && wrongCA.stderr.contains("TLS error")
            },
            "wrong name: \(wrongName.stderr.suffix(600)); wrong CA: \(wrongCA.stderr.suffix(600))"
        )
        // The genuine enrollment, dialling the name the certificate holds, comes online; the others never did.
        let genuine = try receiver(path)
        defer { genuine.kill() }
        func state() async -> ReceiverState? {
            guard let result = try? await daemon.loa(["receivers", "--json"]),
                let list = try? APICoding.decoder().decode([ReceiverStatus].self, from: Data(result.stdout.utf8))
            else { return nil }
            return list.first { $0.id == "rx-tay-01" }?.state
        }
        #expect(await eventually(timeout: .seconds(20)) { await state() == .online }, "\(genuine.stderr.suffix(800))")
        #expect(!wrongName.stderr.contains("mqtt.connected") && !wrongCA.stderr.contains("mqtt.connected"))
    }

    /// Moving a receiver to another zone in `device-configs/` changes what its account may hear on reload.
    @Test func aZoneMoveChangesTheACLOnReload() async throws {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        let daemon = try await DaemonUnderTest(deviceConfigs: configs)
        let path = try await daemon.enroll("rx-dong-01")
        let enrollment = try #require(try Enrollment.parse(String(contentsOfFile: path, encoding: .utf8)).first)
        let topics = try TopicTree(site: enrollment.site)
        let device = try Recorder(
            try LiveSite.deviceClient(enrollment, directory: daemon.directory),
            subscribe: [topics.commands(.zone("thon-dong")), topics.commands(.zone("thon-tay"))]
        )
        defer { device.stop() }
        try #require(await device.client.waitUntilConnected(timeout: .seconds(10)))
        func volume(_ level: Int, zones: String) async throws {
            let result = try await daemon.loa(["volume", "\(level)", "--zones", zones])
            try #require(result.status == 0, "\(result.stderr)")
        }
        func heard(_ zone: String) -> Int { device.messages.filter { $0.topic == topics.commands(.zone(zone)) }.count }

        try await volume(31, zones: "thon-tay")
        try await volume(32, zones: "thon-dong")
        #expect(await eventually(timeout: .seconds(10)) { heard("thon-dong") == 1 })
        #expect(heard("thon-tay") == 0, "it heard another zone's command")

        let receivers = "\(configs)/receivers.yaml"
        let text = try String(contentsOfFile: receivers, encoding: .utf8)
        let moved = text.replacingOccurrences(
            of: "id: rx-dong-01\n    name: \"Cụm loa đầu thôn Đông\"\n    zone: thon-dong",
            with: "id: rx-dong-01\n    name: \"Cụm loa đầu thôn Đông\"\n    zone: thon-tay"
        )
        try #require(moved != text)
        try moved.write(toFile: receivers, atomically: true, encoding: .utf8)
        daemon.process?.signal(SIGHUP)
        #expect(
            await eventually(timeout: .seconds(10)) {
                let acl = (try? String(contentsOfFile: "\(daemon.stateDirectory)/broker/acl", encoding: .utf8)) ?? ""
                return acl.contains(
                    "topic read \(topics.commands(.zone("thon-tay")))\ntopic read \(topics.commands(.receiver("rx-dong-01")))"
                )
            }
        )
        try await Task.sleep(for: .milliseconds(500))
        try await volume(33, zones: "thon-dong")
        try await volume(34, zones: "thon-tay")
        #expect(await eventually(timeout: .seconds(10)) { heard("thon-tay") == 1 }, "the new zone's command never came")
        #expect(heard("thon-dong") == 1, "the old zone's command still came")
    }

    /// `loa broker export`: a site's own mosquitto, run from the exported files as they are (only the directory,
    /// the port and the log moved for the test), lets an enrolled receiver in over TLS with the same access and
    /// keeps strangers out.
    @Test func anExportedConfigurationRunsASiteBrokerWithTheSameAccounts() async throws {
        let daemon = try await DaemonUnderTest()
        let path = try await daemon.enroll("rx-dong-01")
        let enrollment = try #require(try Enrollment.parse(String(contentsOfFile: path, encoding: .utf8)).first)
        let export = "\(daemon.directory)/export"
        let exported = try await daemon.loa(["broker", "export", "--dir", export])
        try #require(exported.status == 0, "\(exported.stderr)")
        let passwords = try String(contentsOfFile: "\(export)/passwords", encoding: .utf8)
        #expect(passwords.contains("\(enrollment.username):$6$") && !passwords.contains(enrollment.password))
        #expect(!passwords.contains("loa-obs-"), "the observer is the embedded broker's own")
        let mode = try FileManager.default.attributesOfItem(atPath: "\(export)/passwords")[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)

        // The site's broker, with the gateway's certificate (the one the enrollment's CA signs).
        try FileManager.default.createDirectory(atPath: "\(export)/tls", withIntermediateDirectories: true)
        for name in ["ca.pem", "server.pem", "server.key"] {
            try FileManager.default.copyItem(
                atPath: "\(daemon.stateDirectory)/broker/tls/\(name)",
                toPath: "\(export)/tls/\(name)"
            )
        }
        let port = try MosquittoBroker.freePort()
        var configuration = try String(contentsOfFile: "\(export)/mosquitto.conf", encoding: .utf8)
            .replacingOccurrences(of: "/etc/mosquitto/loa", with: export)
            .replacingOccurrences(of: "listener 8883 0.0.0.0", with: "listener \(port) 127.0.0.1")
            .replacingOccurrences(of: "persistence true", with: "persistence false")
            .replacingOccurrences(of: "log_dest syslog", with: "log_dest stderr")
        if geteuid() == 0 { configuration += "user root\n" }
        try configuration.write(toFile: "\(export)/test.conf", atomically: true, encoding: .utf8)
        let mosquitto = Process()
        mosquitto.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        mosquitto.arguments = ["-c", "\(export)/test.conf"]
        mosquitto.standardError = FileHandle.nullDevice
        try mosquitto.run()
        defer {
            // SIGKILL: a child of the test runner inherits its blocked SIGTERM.
            kill(mosquitto.processIdentifier, SIGKILL)
            mosquitto.waitUntilExit()
        }

        var device = try LiveSite.deviceClient(enrollment, directory: daemon.directory)
        device.port = port
        let recorder = try Recorder(device, subscribe: [TopicTree(site: enrollment.site).commands(.all)])
        defer { recorder.stop() }
        #expect(
            await recorder.client.waitUntilConnected(timeout: .seconds(10)),
            "\(String(describing: recorder.client.lastError))"
        )
        var stranger = device
        (stranger.username, stranger.password) = (nil, nil)
        let refused = try await Self.refusal(stranger)
        #expect(refused?.contains("Not authorized") == true, "\(refused ?? "connected")")
    }
}
