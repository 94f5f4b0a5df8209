import Hummingbird
import LoaCore

/// `GET /healthz`: the state of the broker link, the audio output and the store, as JSON.
///
/// Answers 200 when every part works and 503 when one has failed, so load balancers and simple probes can
/// judge it by the status alone. The body is the whole `HealthReport` for an authenticated caller (`loa
/// health`, a `health` token), and only `{"status": "ok"|"failing"}` without credentials: no version, site or
/// receiver counts for whoever can reach the port.
public struct HealthController<Source: HealthReporting>: Sendable {
    let source: Source

    public init(source: Source) {
        self.source = source
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("healthz") { _, context in
            let report = await source.currentHealth()
            let status: HTTPResponse.Status = report.isHealthy ? .ok : .serviceUnavailable
            guard context.caller != nil else {
                return try JSONBody(value: ["status": report.isHealthy ? "ok" : "failing"], status: status).response()
            }
            return try JSONBody(value: report, status: status).response()
        }
    }
}

extension HealthReport: ResponseEncodable {}
