import Foundation
import Hummingbird
import LoaCore

/// The operator API under `/api/v1`: schedules, approval, upcoming occurrences, the broadcast log, audio
/// imports and the inventory. Airing now, stopping and volume are ``BroadcastControlController``'s.
public struct ScheduleController<Manager: ScheduleManaging>: Sendable {
    let manager: Manager

    public init(manager: Manager) {
        self.manager = manager
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        let api = router.group("api/v1")
        api.post("schedules") { request, context in
            let draft = try await request.decodeJSON(ScheduleDraft.self)
            let schedule = try await refusing { try await manager.addSchedule(draft, by: try context.requireCaller()) }
            return JSONBody(value: schedule, status: .created)
        }
        api.get("schedules") { request, context in
            // `?waiting=true`: the drafts and the programmes with a change waiting, for approvers (one page).
            if try request.query("waiting", as: Bool.self) == true {
                let waiting = try await refusing { try await manager.waitingSchedules() }
                return PagedBody(page: Page(items: waiting, next: nil))
            }
            let page = try request.pageRequest()
            return PagedBody(page: try await refusing { try await manager.schedules(page: page) })
        }
        // An edit: the whole schedule as it should be (`loa schedule edit` starts from the stored one).
        api.put("schedules/:id") { request, context in
            let id = try context.parameters.require("id")
            let draft = try await request.decodeJSON(ScheduleDraft.self)
            return JSONBody(
                value: try await refusing {
                    try await manager.editSchedule(id: id, draft, by: try context.requireCaller())
                }
            )
        }
        api.get("schedules/:id/pending") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(value: try await refusing { try await manager.pendingRevision(of: id) })
        }
        api.delete("schedules/:id/pending") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(
                value: try await refusing { try await manager.discardPending(of: id, by: try context.requireCaller()) }
            )
        }
        api.get("schedules/:id") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(value: try await refusing { try await manager.schedule(id: id) })
        }
        api.delete("schedules/:id") { request, context in
            let id = try context.parameters.require("id")
            let receipt = try await refusing {
                try await manager.removeSchedule(id: id, by: try context.requireCaller())
            }
            // 202: an operator's delete of an approved programme waits for an approver.
            guard receipt.removed else { return try JSONBody(value: receipt, status: .accepted).response() }
            return Response(status: .noContent)
        }
        api.post("schedules/:id/approve") { request, context in
            let id = try context.parameters.require("id")
            return JSONBody(
                value: try await refusing { try await manager.approveSchedule(id: id, by: try context.requireCaller()) }
            )
        }
        api.get("occurrences") { request, context in
            let zone = request.uri.queryParameters.get("zone")
            if let days = try request.query("days", as: Int.self) {
                let count = try request.query("count", as: Int.self) ?? 1000
                return JSONBody(
                    value: try await refusing { try await manager.occurrences(days: days, count: count, zone: zone) }
                )
            }
            let count = try request.query("count", as: Int.self) ?? 10
            return JSONBody(value: try await refusing { try await manager.nextOccurrences(count: count, zone: zone) })
        }
        api.get("log") { request, context in
            let since = try request.uri.queryParameters.get("since").map { text in
                guard let date = try? Date(text, strategy: .iso8601) else {
                    throw HTTPError(.badRequest, message: "since '\(text)' is not an ISO 8601 instant")
                }
                return date
            }
            let zone = request.uri.queryParameters.get("zone")
            let page = try request.pageRequest()
            return PagedBody(
                page: try await refusing { try await manager.broadcastLog(since: since, zone: zone, page: page) }
            )
        }
        api.get("key") { _, _ in
            JSONBody(value: ControllerKeyBody(publicKey: await manager.controllerKey()))
        }
        api.post("key/rotate") { request, context in
            JSONBody(
                value: try await refusing { try await manager.rotateControllerKey(by: try context.requireCaller()) }
            )
        }
        api.get("inventory") { _, _ in
            JSONBody(value: await manager.inventory())
        }
        api.get("site") { _, _ in
            JSONBody(value: await manager.site())
        }
    }

}

extension Request {
    /// A typed query parameter, with a message naming it when it does not parse.
    func query<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = T(text) else {
            throw HTTPError(.badRequest, message: "query parameter \(name)='\(text)' is not a valid \(T.self)")
        }
        return value
    }
}
