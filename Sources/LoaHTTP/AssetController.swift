import Foundation
import Hummingbird
import LoaCore

/// The audio library under `/api/v1`: uploads streamed to disk and imported in the background (answered at
/// once with an import to follow), the imports' progress, and what is stored.
public struct AssetController<Assets: AssetManaging>: Sendable {
    let assets: Assets
    /// Writes on NIO's blocking-I/O thread pool, never on the cooperative pool that serves the API.
    let fileIO = FileIO()

    public init(assets: Assets) {
        self.assets = assets
    }

    public func addRoutes(to router: Router<some RequestContext>) {
        let api = router.group("api/v1")
        api.post("assets") { request, context in
            let name = request.headers[.loaFilename].flatMap { $0.removingPercentEncoding } ?? "upload"
            let declared = request.headers[.contentLength].flatMap { Int($0) }
            let ticket = try await refusing {
                try await assets.admitUpload(name: name, declaredBytes: declared, by: try request.operatorName())
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
            return JSONBody(value: status, status: .accepted)
        }
        api.get("imports/:id") { _, context in
            let id = try context.parameters.require("id")
            return JSONBody(value: try await refusing { try await assets.importStatus(id: id) })
        }
        api.get("assets") { request, _ in
            let page = try request.pageRequest()
            return PagedBody(page: try await refusing { try await assets.storedAssets(page: page) })
        }
    }

}
