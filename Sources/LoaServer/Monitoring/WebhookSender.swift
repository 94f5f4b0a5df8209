import AsyncHTTPClient
import Foundation
import LoaCore
import Logging
import NIOCore
import Synchronization

/// POSTs alerts to the site's webhook, one at a time in order, retrying with capped exponential backoff
/// (docs/protocol.md, "Alert"). A slow webhook never holds up the monitor: alerts queue (the newest 256)
/// and are sent from the monitor service's own task.
final class WebhookSender: Sendable {
    /// The result of one POST.
    enum Outcome: Sendable, Equatable {
        case delivered
        /// Worth another try: no answer, a timeout, 408, 429 or 5xx.
        case retry(String)
        /// The webhook refused the alert (another 4xx): trying again would not help.
        case refused(Int)
    }

    let settings: Mutex<WebhookSettings?>
    let logger: Logger
    let queue: AsyncStream<ReceiverAlert>
    let continuation: AsyncStream<ReceiverAlert>.Continuation
    /// `delivered`, `retried`, `failed`, `dropped`.
    let counters = Mutex<[String: Int]>([:])
    /// Signs each body for its `X-Loa-Signature` header, so the webhook's receiver can tell a forged POST.
    let signer: (any MessageSigning)?

    init(settings: WebhookSettings?, signer: (any MessageSigning)? = nil, logger: Logger) {
        self.settings = Mutex(settings)
        self.signer = signer
        self.logger = logger
        (queue, continuation) = AsyncStream.makeStream(of: ReceiverAlert.self, bufferingPolicy: .bufferingNewest(256))
    }

    func update(_ settings: WebhookSettings?) {
        self.settings.withLock { $0 = settings }
    }

    func enqueue(_ alert: ReceiverAlert) {
        guard settings.withLock({ $0 != nil }) else { return }
        if case .dropped = continuation.yield(alert) { count("dropped") }
    }

    /// Sends queued alerts until cancelled.
    func run() async {
        for await alert in queue {
            if Task.isCancelled { return }
            await deliver(alert)
        }
    }

    func finish() { continuation.finish() }

    /// Delivers one alert, retrying as configured; returns whether it was delivered.
    @discardableResult
    func deliver(_ alert: ReceiverAlert) async -> Bool {
        guard let settings = settings.withLock({ $0 }) else { return false }
        let bytes = alert.encoded()
        let body = Data(bytes)
        let signature = signer.flatMap { try? SignedAlert.signature(of: bytes, with: $0) }
        var backoff = settings.backoff
        for attempt in 1...max(1, settings.attempts) {
            let outcome = await Self.post(body, to: settings.url, timeout: settings.timeout, signature: signature)
            switch outcome {
            case .delivered:
                count("delivered")
                return true
            case .refused(let status):
                count("failed")
                logger.error(
                    "alert.webhook-refused",
                    metadata: [
                        "alert.id": "\(alert.id)", "http.status": "\(status)",
                        "webhook.url": "\(Self.redacted(settings.url))",
                    ]
                )
                return false
            case .retry(let reason):
                guard attempt < settings.attempts else {
                    count("failed")
                    logger.error(
                        "alert.webhook-failed",
                        metadata: [
                            "alert.id": "\(alert.id)", "attempts": "\(attempt)", "reason": "\(reason)",
                            "webhook.url": "\(Self.redacted(settings.url))",
                        ]
                    )
                    return false
                }
                count("retried")
                let delay = backoff.nextDelay()
                logger.warning(
                    "alert.webhook-retry",
                    metadata: [
                        "alert.id": "\(alert.id)", "attempt": "\(attempt)", "reason": "\(reason)",
                        "retry.in": "\(delay)",
                    ]
                )
                do { try await Task.sleep(for: delay) } catch { return false }
            }
        }
        return false
    }

    func count(_ key: String) {
        counters.withLock { $0[key, default: 0] += 1 }
    }

    /// One POST through AsyncHTTPClient (HTTP or HTTPS), which keeps curl and its TLS stack out of the daemon.
    static func post(_ body: Data, to url: URL, timeout: Double, signature: String? = nil) async -> Outcome {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let signature { request.headers.add(name: SignedAlert.signatureHeader, value: signature) }
        request.headers.add(name: "User-Agent", value: "loa/\(LoaVersion.current)")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let status = Int(response.status.code)
            switch status {
            case 200..<300: return .delivered
            case 408, 429, 500...: return .retry("HTTP \(status)")
            default: return .refused(status)
            }
        } catch {
            return .retry(String(describing: error))
        }
    }

    /// The URL without its query and user info, which may hold a token.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.host ?? "?" }
        components.query = nil
        components.user = nil
        components.password = nil
        return components.string ?? url.host ?? "?"
    }
}
