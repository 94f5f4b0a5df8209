import Foundation
import Hummingbird
import LoaCore

/// Turns every error into a JSON body `{"error": "...", "status": N}` so the CLI can print one clear line,
/// and unknown routes into a 404 that says which path was not found.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)"
            var response = Self.json(status: error.status, message: message)
            // WWW-Authenticate on a 401, Retry-After on a 429.
            for field in error.headers where field.name != .contentType { response.headers.append(field) }
            return response
        } catch let error as HTTPResponseError {
            let status = try error.response(from: request, context: context).status
            return Self.json(status: status, message: "\(request.method) \(request.uri.path): \(status.reasonPhrase)")
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
