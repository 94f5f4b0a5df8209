import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// A client connects even when its socket gets a descriptor numbered 1024 or more, as in any process that
/// holds many files, connections or clients: `select(2)` (libmosquitto's own loop) cannot watch it, so the
/// default network loop is `poll(2)`.
@Suite("MQTTClient with high descriptor numbers", .serialized)
struct HighDescriptorTests {
    @Test func aClientConnectsWhenDescriptorsBelow1024AreAllTaken() async throws {
        // Take every descriptor below 1100, so the client's socket is numbered above 1024.
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 2_048 {
            limit.rlim_cur = min(2_048, limit.rlim_max)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        while true {
            let fd = open("/dev/null", O_RDONLY)
            guard fd >= 0 else { break }
            held.append(fd)
            if fd >= 1_100 { break }
        }
        try #require(held.last.map { $0 >= 1_100 } == true, "could not take descriptors up to 1100 (limit \(limit))")

        try await TestBroker.withBroker { broker in
            let topic = uniqueTopic("high-fd")
            let client = try await startedClient(clientConfiguration(broker, id: "high-fd"), subscribedTo: [topic])
            defer { client.shutdown() }
            try client.publish(BusMessage(topic: topic, text: "xin chào", delivery: .atLeastOnce))
            let recorder = Recorder(client.messages)
            #expect(await recorder.first { $0.topic == topic } != nil)
        }
    }
}
