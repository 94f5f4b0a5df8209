import Hummingbird
import LoaCore

/// `GET /api/v1/receivers` (`?zone=&state=`) and `GET /api/v1/receivers/{id}`: what the monitor knows about
/// the loudspeakers, for `loa receivers`.
public struct ReceiverController<Monitor: ReceiverMonitoring>: Sendable {
    let monitor: Monitor

    public init(monitor: Monitor) {
        self.monitor = monitor
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
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
            let page = try request.pageRequest()
            let all = try await refusing { try await monitor.receivers(zone: zone, filter: filter) }
            return PagedBody(page: try Self.slice(all, page))
        }
        api.get("receivers/:id") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(value: try await refusing { try await monitor.receiver(id: id) })
        }
    }

    /// A page of the monitor's receivers, which it keeps in memory in inventory order: the cursor is the id of
    /// the last receiver of the page before.
    static func slice(_ all: [ReceiverStatus], _ page: PageRequest) throws -> Page<ReceiverStatus> {
        var start = all.startIndex
        if let after = page.after {
            let id: String
            do { id = try PageCursor.decode(after, parts: 1)[0] } catch { throw error.httpError }
            guard let index = all.firstIndex(where: { $0.id == id }) else {
                throw PageCursor.invalid(after).httpError
            }
            start = index + 1
        }
        let items = Array(all[start...].prefix(page.limit))
        let more = start + items.count < all.endIndex
        return Page(items: items, next: more ? items.last.map { PageCursor.encode([$0.id]) } : nil)
    }
}
