import Hummingbird
import LoaCore

/// `GET /api/v1/receivers` (`?zone=&state=`) and `GET /api/v1/receivers/{id}`: what the monitor knows about
/// the loudspeakers, for `loa receivers`.
public struct ReceiverController<Monitor: ReceiverMonitoring>: Sendable {
    let monitor: Monitor

    public init(monitor: Monitor) {
        self.monitor = monitor
    }

    public func addRoutes(to router: Router<some RequestContext>) {
        let api = router.group("api/v1")
        api.get("receivers") { request, _ in
            let zone = request.uri.queryParameters.get("zone")
            let filter = try request.uri.queryParameters.get("state").map { text in
                guard let filter = ReceiverFilter(text) else {
                    throw HTTPError(
                        .badRequest,
                        message: "state '\(text)' is not one of \(ReceiverFilter.names.joined(separator: ", "))"
                    )
                }
                return filter
            }
            return JSONBody(value: try await refusing { try await monitor.receivers(zone: zone, filter: filter) })
        }
        api.get("receivers/:id") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(value: try await refusing { try await monitor.receiver(id: id) })
        }
    }
}
