import Foundation
import Hummingbird
import LoaCore

/// Turns every error into a JSON body `{"error": "...", "status": N}` so the CLI can print one clear line,
/// and unknown routes into a 404 that says which path was not found.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError {
            var response = try error.response(from: request, context: context)
            if response.headers[.contentType]?.hasPrefix("application/json") != true {
                let message = (error as? HTTPError)?.body ?? "\(request.method) \(request.uri.path) failed"
                response = Self.json(status: response.status, message: message)
            }
            return response
        } catch {
            return Self.json(status: .internalServerError, message: "internal error: \(error)")
        }
    }

    static func json(status: HTTPResponse.Status, message: String) -> Response {
        let data = (try? JSONEncoder().encode(APIErrorBody(error: message, status: status.code))) ?? Data()
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
