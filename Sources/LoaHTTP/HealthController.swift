import Hummingbird
import LoaCore

/// `GET /healthz`: the state of the broker link, the audio output and the store, as JSON.
///
/// Answers 200 when every part works and 503 when one has failed, so load balancers and simple probes can
/// judge it by the status alone; the body is the same `HealthReport` either way, for `loa health`.
public struct HealthController<Source: HealthReporting>: Sendable {
    let source: Source

    public init(source: Source) {
        self.source = source
    }

    public func addRoutes(to router: Router<some RequestContext>) {
        router.get("healthz") { _, _ in
            let report = await source.currentHealth()
            return EditedResponse(status: report.isHealthy ? .ok : .serviceUnavailable, response: report)
        }
    }
}

extension HealthReport: ResponseEncodable {}
