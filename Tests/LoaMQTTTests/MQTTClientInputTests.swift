import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

@Suite("MQTTClient with bad input")
struct MQTTClientInputTests {
    let logger = TestBroker.logger("loa.test.mqtt")

    @Test("an unreadable TLS CA file is a typed MQTTError at creation")
    func invalidCAFile() throws {
        let configuration = MQTTConfiguration(
            host: "127.0.0.1",
            clientID: "tls",
            tls: .init(caFile: "/nonexistent/loa-ca.pem")
        )
        let error = try #require(throws: MQTTError.self) {
            try MQTTClient(configuration: configuration, logger: logger)
        }
        #expect(error.code == MQTTError.Code.invalidArgument)
        #expect(error.description.contains("mosquitto_tls_set"))
    }

    @Test("an unresolvable host leaves the client retrying, with the lookup error recorded")
    func unresolvableHost() async throws {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(host: "loa-no-such-host.invalid", clientID: "nowhere"),
            logger: logger
        )
        try client.start()
        #expect(await eventually { client.lastError != nil })
        #expect(client.lastError?.code == MQTTError.Code.lookupFailed)
        #expect(client.connectionState == .connecting)
        #expect(await client.waitUntilConnected(timeout: .milliseconds(300)) == false)
        client.shutdown(publishing: BusMessage(topic: "ignored", text: "x"))
        #expect(client.connectionState == .disconnected(reason: "shut down"))
    }

    @Test("invalid topics throw; QoS 0 while disconnected is dropped; start twice throws")
    func invalidUse() throws {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(host: "127.0.0.1", clientID: "misuse"),
            logger: logger
        )
        defer { client.shutdown() }
        #expect(throws: MQTTError.self) { try client.publish(BusMessage(topic: "a/#", text: "x")) }
        #expect(throws: MQTTError.self) { try client.subscribe(to: "a/#/b", delivery: .atMostOnce) }
        try client.publish(BusMessage(topic: "a/b", text: "not connected"))
        try client.start()
        #expect(throws: MQTTError.self) { try client.start() }
        client.shutdown()
        #expect(throws: MQTTError.self) {
            try client.publish(BusMessage(topic: "a/b", text: "late", delivery: .atLeastOnce))
        }
        try client.publish(BusMessage(topic: "a/b", text: "late"))  // QoS 0 after shutdown: dropped
    }

    @Test("the password never appears in descriptions or dumps")
    func passwordRedacted() {
        let configuration = MQTTConfiguration(
            host: "broker.lan",
            clientID: "loa",
            username: "loa",
            password: "hunter2-secret"
        )
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, String(reflecting: configuration), "\(configuration)", dumped] {
            #expect(!text.contains("hunter2-secret"))
        }
        #expect(configuration.description.contains("<redacted>"))
    }

    @Test("errors keep unknown codes and explain errno")
    func errorDescriptions() {
        let unknown = MQTTError(code: 4242, operation: "frobnicate")
        #expect(unknown.code == 4242)
        #expect(unknown.description.contains("frobnicate"))
        let system = MQTTError(code: MQTTError.Code.systemError, operation: "connect", systemError: ECONNREFUSED)
        #expect(system.description.contains(String(cString: strerror(ECONNREFUSED))))
    }

    @Test("the library version comes from libmosquitto")
    func libraryVersion() {
        #expect(MQTTClient.libraryVersion.hasPrefix("2."))
        #expect(MQTTClient.libraryVersion.split(separator: ".").count == 3)
    }
}
