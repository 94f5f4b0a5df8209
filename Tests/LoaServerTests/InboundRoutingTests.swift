import Foundation
import LoaCore
import LoaMQTT
import LoaStore
import LoaTestSupport
import Synchronization
import Testing

@testable import LoaServer

/// The daemon's two consumers of receivers' events, the monitor and the broadcast log's recorder, each see
/// every event whichever of them is listed first.
@Suite("Inbound routing in loa serve")
struct InboundRoutingTests {
    static let inventory = SiteInventory(
        zones: [Zone(id: "thon-dong", name: "Thôn Đông")],
        receivers: [Receiver(id: "rx-1", name: "Cụm loa 1", zone: "thon-dong")]
    )

    @Test(arguments: [false, true])
    func theMonitorAndTheRecorderBothSeeEveryEvent(recorderFirst: Bool) async throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-inbound")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try LoaDatabase(path: "\(directory)/loa.sqlite")
        let topics = try TopicTree(site: "xa-an-phu")
        let start = Date(timeIntervalSince1970: 1_764_385_200)
        let broadcast = try await database.append(
            BroadcastLogEntry(
                scheduleID: nil,
                title: "Thông báo",
                priority: .normal,
                targets: .all,
                plannedAt: start,
                plannedLocal: "2025-11-29 10:00",
                outcome: .playing
            )
        )
        let session = SessionID.random()
        let audiences = BroadcastAudienceTracker(resolve: { _ in ["rx-1": true] })
        audiences.begin(
            broadcast: broadcast,
            session: session,
            title: "Thông báo",
            targets: .all,
            startMicroseconds: Int64(start.timeIntervalSince1970 * 1_000_000)
        )
        let monitor = ReceiverMonitorService(
            topics: topics,
            inventory: Self.inventory,
            settings: MonitoringSettings(),
            bus: InMemoryBus(),
            store: nil,
            clock: ManualClock(now: start),
            signer: SignedAlerts.testKey,
            logger: quietLogger("loa.test.inbound")
        )
        let recorder = ReceiverEventRecorder(
            topics: topics,
            database: database,
            audiences: audiences,
            logger: quietLogger("loa.test.inbound")
        )
        let consumers: [any InboundConsumer] = recorderFirst ? [recorder, monitor] : [monitor, recorder]
        let router = InboundRouter(consumers)
        #expect(router.subscriptions == [topics.allReceiversFilter])

        // The receiver's birth goes to the monitor only; its events go to both.
        let birth = BusMessage(
            topic: topics.receiverStatus("rx-1"),
            payload: AvailabilityStatus(state: .online, version: "0.1.0").encoded()
        )
        #expect(router.route(birth) == 1)
        let at = Int64(start.timeIntervalSince1970 * 1_000_000)
        let events = [
            ReceiverEvent(kind: .commandAccepted, at: at, session: session, seq: 1, cmd: .play),
            ReceiverEvent(kind: .sessionStarted, at: at + 1_000, session: session),
            ReceiverEvent(kind: .commandRejected, at: at + 2_000, seq: 7, reason: "bad-signature"),
        ]
        for event in events {
            let message = BusMessage(
                topic: topics.receiverEvents("rx-1"),
                payload: Array(try JSONEncoder().encode(event))
            )
            #expect(router.route(message) == 2)
        }
        let status = try await monitor.receiver(id: "rx-1").status
        #expect(status.state == .playing)
        #expect(status.playing == session)
        #expect(status.rejectedCommands == 1)

        await recorder.flush()
        let reports = try #require(try database.broadcastLog().first { $0.id == broadcast }?.receivers)
        #expect(reports.map(\.receiver) == ["rx-1"])
        #expect(reports.first?.state == .playing)
    }
}

/// Through a real mosquitto: with the daemon's consumers, each message reaches each consumer exactly once.
@Suite("Inbound routing through a real broker")
struct InboundBrokerRoutingTests {
    final class Counting: InboundConsumer {
        let subscription: TopicFilter
        private let seen = Mutex<[String]>([])
        init(_ subscription: TopicFilter) { self.subscription = subscription }
        func receive(_ message: BusMessage) { seen.withLock { $0.append(message.topic) } }
        var topics: [String] { seen.withLock { $0 } }
    }

    @Test func overlappingFiltersDeliverEachMessageOnce() async throws {
        try await TestBroker.withBroker { broker in
            let topics = try TopicTree(site: "xa-an-phu")
            let (all, events) = (Counting(topics.allReceiversFilter), Counting(topics.allReceiverEvents))
            let router = InboundRouter([events, all])
            let controller = try MQTTClient(
                configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "inbound-\(UUID())"),
                logger: TestBroker.logger("loa.test.inbound")
            )
            defer { controller.shutdown() }
            for filter in router.subscriptions { try controller.subscribe(to: filter.text, delivery: .atLeastOnce) }
            try controller.start()
            #expect(await controller.waitUntilConnected(timeout: .seconds(15)))
            let routing = Task { for await message in controller.messages { router.route(message) } }
            defer { routing.cancel() }

            let receiver = try await startedClient(broker, id: "rx-1")
            defer { receiver.shutdown() }
            let sent = [
                topics.receiverStatus("rx-1"), topics.receiverEvents("rx-1"), topics.receiverTelemetry("rx-1"),
                topics.receiverEvents("rx-1"),
            ]
            for topic in sent { try receiver.publish(BusMessage(topic: topic, text: "{}", delivery: .atLeastOnce)) }
            // A last marker on the wildcard only: once it is in, everything published before it is too.
            let marker = topics.receiverStatus("rx-marker")
            try receiver.publish(BusMessage(topic: marker, text: "{}", delivery: .atLeastOnce))
            #expect(await eventually(timeout: .seconds(10)) { all.topics.last == marker })
            #expect(all.topics == sent + [marker])
            #expect(events.topics == [topics.receiverEvents("rx-1"), topics.receiverEvents("rx-1")])
        }
    }
}
