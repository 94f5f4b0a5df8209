import Foundation
import HTTPTypes
import Hummingbird
import LoaCore

/// A response whose body is `value` encoded the way the API speaks JSON (see `APICoding`).
struct JSONBody<Value: Encodable>: ResponseGenerator {
    let value: Value
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try response()
    }

    /// The response, outside a route's generic answer (when two branches answer with different types).
    func response() throws -> Response {
        let data = try APICoding.encoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension Request {
    /// Decodes a JSON body of at most `limit` bytes, with a message that says what was wrong.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = 1 << 20) async throws -> T {
        let buffer = try await body.collect(upTo: limit)
        do {
            return try NetworkJSON.decode(T.self, from: Data(buffer: buffer), using: APICoding.decoder())
        } catch is NetworkJSON.TooDeep {
            throw HTTPError(.badRequest, message: "the request body is nested deeper than \(NetworkJSON.maximumDepth)")
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "the request body is not a valid \(T.self): \(error.summary)")
        }
    }

}

extension HTTPField.Name {
    /// Over the API socket only: the account to act as (`loa … --as NAME`). Over TCP it grants nothing.
    static let loaUser = Self("X-Loa-User")!
    /// The original name of an uploaded file, percent-encoded.
    static let loaFilename = Self("X-Loa-Filename")!
    /// Names one operator request across its retries, so that it takes effect once.
    static let loaRequestID = Self("X-Loa-Request-ID")!
}

/// Runs an operation for a route, turning its refusal into the matching HTTP error. Every controller answers
/// through it.
func refusing<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as OperationError { throw error.httpError }
}

extension OperationError {
    /// The HTTP error for this refusal; its message is the operator's one line.
    var httpError: HTTPError {
        let status: HTTPResponse.Status =
            switch kind {
            case .invalid: .badRequest
            case .conflict: .conflict
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .throttled: .tooManyRequests
            case .notFound: .notFound
            case .unavailable: .serviceUnavailable
            case .tooLarge: .contentTooLarge
            case .unsupportedMedia: .unsupportedMediaType
            case .insufficientStorage: .init(code: 507, reasonPhrase: "Insufficient Storage")
            }
        var headers = HTTPFields()
        if kind == .unauthenticated { headers[.wwwAuthenticate] = "Bearer realm=\"loa\"" }
        if let retryAfter { headers[.retryAfter] = "\(max(1, retryAfter.components.seconds))" }
        return HTTPError(status, headers: headers, message: message)
    }
}

extension DecodingError {
    /// Which field was wrong, in a few words.
    var summary: String {
        switch self {
        case .keyNotFound(let key, let context):
            "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default:
            "\(self)"
        }
    }
}
