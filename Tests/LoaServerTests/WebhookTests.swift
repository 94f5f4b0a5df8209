import Foundation
import Hummingbird
import LoaBroker
import LoaCore
import LoaMQTT
import LoaSecurity
import LoaTestSupport
import Synchronization
import Testing

@testable import LoaServer

/// A tiny webhook receiver: a Hummingbird app on a free port that records every POST and answers with the
/// statuses it is given, in turn (then 200).
final class WebhookServer: Sendable {
    final class Book: Sendable {
        let requests = Mutex<[(contentType: String?, signature: String?, body: Data)]>([])
        let answers: Mutex<[Int]>
        init(answers: [Int]) { self.answers = Mutex(answers) }
    }

    let port: Int
    let book: Book
    let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(answers: [Int]) async throws {
        port = try MosquittoBroker.freePort()
        let book = Book(answers: answers)
        self.book = book
        let router = Router()
        @Sendable func signature(_ request: Request) -> String? {
            request.headers.first { $0.name.canonicalName == SignedAlert.signatureHeader.lowercased() }?.value
        }
        router.post("hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            book.requests.withLock {
                $0.append((request.headers[.contentType], signature(request), Data(buffer: body)))
            }
            let code = book.answers.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            return Response(status: .init(code: code))
        }
        let started = AsyncStream.makeStream(of: Void.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in started.continuation.yield() },
            logger: quietLogger("loa.test.webhook")
        )
        task.withLock { $0 = Task { try? await app.runService(gracefulShutdownSignals: []) } }
        for await _ in started.stream { break }
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hook?token=secret")! }
    var received: [(contentType: String?, signature: String?, body: Data)] { book.requests.withLock { $0 } }

    func stop() { task.withLock { $0?.cancel() } }
}

@Suite("Alert webhook", .serialized)
struct WebhookTests {
    func alert(_ kind: ReceiverAlert.Kind = .offline) -> ReceiverAlert {
        ReceiverAlert(
            id: "xa-an-phu-1-1",
            site: "xa-an-phu",
            at: 1_764_385_260_000_000,
            kind: kind,
            summary: "rx-1 is offline",
            receivers: [
                .init(id: "rx-1", name: "Cụm loa 1", zone: "thon-dong", state: .offline, since: 1_764_385_250_000_000)
            ]
        )
    }

    @Test func aWebhookAnswering500IsRetriedWithTheSameJSON() async throws {
        let server = try await WebhookServer(answers: [500, 503])
        defer { server.stop() }
        let sender = WebhookSender(
            settings: WebhookSettings(
                url: server.url,
                attempts: 5,
                timeout: 2,
                backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
            ),
            signer: SignedAlerts.testKey,
            logger: quietLogger("loa.test.webhook")
        )
        let delivered = await sender.deliver(alert())
        #expect(delivered)
        let requests = server.received
        #expect(requests.count == 3)
        #expect(Set(requests.map(\.body)).count == 1, "every attempt sends the same alert")
        #expect(requests.first?.contentType == "application/json")
        let decoded = try JSONDecoder().decode(ReceiverAlert.self, from: try #require(requests.last?.body))
        #expect(decoded == alert())
        let checker = try ControllerPublicKey(publicKey: SignedAlerts.testKey.publicKey)
        let body = try #require(requests.last?.body)
        let verified = try SignedAlert.verifyWebhook(
            body: Array(body),
            signatureHeader: requests.last?.signature,
            checker: checker
        )
        #expect(verified == alert(), "the body's X-Loa-Signature is the controller's")
        #expect(sender.counters.withLock { $0 } == ["retried": 2, "delivered": 1])
    }

    @Test func aRefusalIsNotRetriedAndGivingUpIsCounted() async throws {
        let server = try await WebhookServer(answers: [404, 500, 500, 500])
        defer { server.stop() }
        let settings = WebhookSettings(
            url: server.url,
            attempts: 3,
            timeout: 2,
            backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(50))
        )
        let sender = WebhookSender(settings: settings, logger: quietLogger("loa.test.webhook"))
        #expect(await sender.deliver(alert()) == false)
        #expect(server.received.count == 1, "404 is final")
        #expect(await sender.deliver(alert()) == false)
        #expect(server.received.count == 4, "500 three times, then it gives up")
        #expect(sender.counters.withLock { $0["failed"] } == 2)
    }

    @Test func anUnreachableWebhookIsRetriedThenGivenUp() async throws {
        let port = try MosquittoBroker.freePort()
        let settings = WebhookSettings(
            url: URL(string: "http://127.0.0.1:\(port)/hook")!,
            attempts: 3,
            timeout: 1,
            backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(50))
        )
        let sender = WebhookSender(settings: settings, logger: quietLogger("loa.test.webhook"))
        #expect(await sender.deliver(alert()) == false)
        #expect(sender.counters.withLock { $0 } == ["retried": 2, "failed": 1])
    }

    @Test func theMonitorPostsItsAlertsToTheWebhook() async throws {
        let server = try await WebhookServer(answers: [500])
        defer { server.stop() }
        var settings = MonitorHarness.fastSettings
        settings.webhook = WebhookSettings(
            url: server.url,
            attempts: 4,
            timeout: 2,
            backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(100))
        )
        try await MonitorHarness.run(settings: settings) { harness in
            let receiver = try await harness.receiver("rx-2")
            try harness.report(receiver, "rx-2", Telemetry(interval: 60))
            #expect(await harness.waitFor("rx-2", .online))
            receiver.abortConnectionForTesting()
            receiver.shutdown()
            #expect(await harness.waitFor("rx-2", .offline))
            let posted = await eventually(timeout: .seconds(10)) { server.received.count >= 2 }
            #expect(posted, "one 500, then the retry")
            let body = try #require(server.received.last?.body)
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(object["kind"] as? String == "offline")
            #expect(object["v"] as? Int == 1)
            #expect(object["severity"] as? String == "critical")
            let subjects = try #require(object["receivers"] as? [[String: Any]])
            #expect(subjects.first?["id"] as? String == "rx-2")
            #expect(subjects.first?["zone"] as? String == "thon-dong")
            // The same alert went to the MQTT topic (it comes back through the broker).
            let id = object["id"] as? String ?? "-"
            #expect(await eventually(timeout: .seconds(5)) { harness.alertList.map(\.id).contains(id) })
        }
    }
}
