import Foundation
import Hummingbird
import LoaCore

/// The audio library under `/api/v1`: uploads streamed to disk and imported in the background (answered at
/// once with an import to follow), the imports' progress, and what is stored.
///
/// `POST /api/v1/assets?urgent=true` is an upload for a broadcast to air at once: imported in a lane of its own,
/// and answered (200) with the finished import rather than 202.
/// The control listener serves only those (``urgentOnly``) and their imports, so an emergency's audio gets in
/// however busy the API is.
public struct AssetController<Assets: AssetManaging>: Sendable {
    let assets: Assets
    /// Only urgent uploads and import status: the routes of the control listener.
    let urgentOnly: Bool
    /// Writes on NIO's blocking-I/O thread pool, never on the cooperative pool that serves the API.
    let fileIO = FileIO()

    public init(assets: Assets, urgentOnly: Bool = false) {
        self.assets = assets
        self.urgentOnly = urgentOnly
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        let api = router.group("api/v1")
        api.post("assets") { request, context in
            let name = request.headers[.loaFilename].flatMap { $0.removingPercentEncoding } ?? "upload"
            let declared = request.headers[.contentLength].flatMap { Int($0) }
            let urgent = request.uri.queryParameters.get("urgent").map { $0 == "true" || $0 == "1" } ?? false
            if urgentOnly, !urgent {
                throw OperationError(
                    .invalid,
                    "the control socket takes only uploads to air at once (urgent=true); upload others to the API"
                ).httpError
            }
            let ticket = try await refusing {
                try await assets.admitUpload(
                    name: name,
                    declaredBytes: declared,
                    urgent: urgent,
                    by: try context.requireCaller()
                )
            }
            let body = CheckedUploadBody(base: request.body, ticket: ticket, assets: assets)
            do {
                try await fileIO.writeFile(contents: body, path: ticket.path, context: context)
            } catch {
                await assets.abandonUpload(ticket)
                if let refusal = body.refusal.reason.withLock({ $0 }) { throw refusal.httpError }
                throw error
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: ticket.path)[.size] as? Int) ?? 0
            let status = try await refusing { try await assets.enqueueImport(ticket, bytes: size) }
            guard urgent else { return JSONBody(value: status, status: .accepted) }
            // An urgent clip is short and has a lane of its own: answered once it is imported, so the broadcast
            // is not held up by the client's polling.
            await assets.waitUntilFinished(id: status.id)
            return JSONBody(value: try await refusing { try await assets.importStatus(id: status.id) }, status: .ok)
        }
        api.get("imports/:id") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(value: try await refusing { try await assets.importStatus(id: id) })
        }
        if urgentOnly { return }
        api.get("assets") { request, context in
            let page = try request.pageRequest()
            return PagedBody(page: try await refusing { try await assets.storedAssets(page: page) })
        }
    }

}
