import Hummingbird
import LoaCore

/// What must always answer, whatever else the daemon is doing: airing now, stopping and volume under
/// `/api/v1`. The daemon serves it on the main API and also, with health, on its own control listener
/// (``APIRouter/buildControl(health:schedules:assets:)``), which no number of other clients can starve.
public struct BroadcastControlController<Manager: ScheduleManaging>: Sendable {
    let manager: Manager

    public init(manager: Manager) {
        self.manager = manager
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        let api = router.group("api/v1")
        api.post("announce") { request, context in
            let draft = try await request.decodeJSON(ScheduleDraft.self)
            let requestID = request.headers[.loaRequestID]
            let id = try await refusing {
                try await manager.announce(draft, by: try context.requireCaller(), requestID: requestID)
            }
            var receipt = await manager.announceStart(of: id)
            receipt.warnings = VietnameseTextWarnings.warnings(for: draft.announcement)
            return JSONBody(value: receipt, status: .accepted)
        }
        api.post("stop") { request, context in
            let body = try await request.decodeJSON(StopRequest.self)
            let cut = try await refusing {
                try await manager.stop(broadcast: body.broadcast, by: try context.requireCaller())
            }
            return JSONBody(value: StopReceipt(stopped: cut))
        }
        // A live session's client shows it is still there (`loa live`, every 2 s); the answer is the
        // broadcast's entry, so the client sees it go on air and end.
        api.post("broadcasts/:id/keepalive") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let entry = try await refusing {
                try await manager.keepLive(broadcast: id, by: try context.requireCaller())
            }
            return JSONBody(value: entry)
        }
        api.post("volume") { request, context in
            let body = try await request.decodeJSON(VolumeRequest.self)
            try await refusing {
                try await manager.setVolume(body.level, on: body.targets, by: try context.requireCaller())
            }
            return Response(status: .noContent)
        }
    }

}
