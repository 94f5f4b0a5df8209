import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaTestSupport
import Synchronization

/// Collects everything a stream yields, so a test can wait (bounded) for what it expects without owning
/// the stream's one iterator.
final class Recorder<Element: Sendable>: Sendable {
    private let storage = Storage()
    private let task: Task<Void, Never>

    private final class Storage: Sendable {
        let items = Mutex<[Element]>([])
    }

    init(_ stream: AsyncStream<Element>) {
        let storage = self.storage
        task = Task {
            for await item in stream {
                storage.items.withLock { $0.append(item) }
            }
        }
    }

    deinit { task.cancel() }

    var all: [Element] { storage.items.withLock { $0 } }

    /// The first recorded element that matches, waiting up to `timeout` for it to arrive.
    func first(timeout: Duration = .seconds(10), where matches: (Element) -> Bool) async -> Element? {
        var found: Element?
        _ = await eventually(timeout: timeout) {
            found = all.first(where: matches)
            return found != nil
        }
        return found
    }

    /// Waits until the stream has finished (its consumer task returned).
    func finished(timeout: Duration = .seconds(10)) async -> Bool {
        let task = self.task
        return await within(timeout) {
            await task.value
            return true
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}

/// A topic no other test uses.
func uniqueTopic(_ name: String) -> String { "loa-test/\(UUID().uuidString)/\(name)" }

/// A configuration for a client of the test broker, with a fast reconnect so restarts are quick.
func clientConfiguration(
    _ broker: MosquittoBroker,
    id: String = "test",
    birth: BusMessage? = nil,
    will: BusMessage? = nil
) -> MQTTConfiguration {
    MQTTConfiguration(
        host: "127.0.0.1",
        port: broker.port,
        clientID: "\(id)-\(UUID().uuidString.prefix(8))",
        birth: birth,
        will: will,
        reconnect: Backoff(initial: .milliseconds(100), maximum: .seconds(1))
    )
}

/// Starts a client that is subscribed to `subscriptions` before it connects, and waits until it is
/// connected (which includes the SUBACKs). The caller shuts it down.
func startedClient(
    _ configuration: MQTTConfiguration,
    subscribedTo subscriptions: [String] = [],
    delivery: DeliveryGuarantee = .atLeastOnce
) async throws -> MQTTClient {
    let client = try MQTTClient(configuration: configuration, logger: TestBroker.logger("loa.test.mqtt"))
    for filter in subscriptions {
        try client.subscribe(to: filter, delivery: delivery)
    }
    try client.start()
    guard await client.waitUntilConnected(timeout: .seconds(15)) else {
        client.shutdown()
        throw TestFailure("client \(configuration.clientID) did not connect: \(String(describing: client.lastError))")
    }
    return client
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// 4 KB containing every byte value, 16 times over, in a scrambled order.
let binaryPayload: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }
