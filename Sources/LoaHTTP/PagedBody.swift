import HTTPTypes
import Hummingbird
import LoaCore

/// A page of a listing: its items as a JSON array (the shape every listing had before it paged), and, when
/// there is more, `Link: </api/v1/…?…&after=CURSOR>; rel="next"` (RFC 8288) with the same query otherwise.
struct PagedBody<Item: Encodable & Sendable>: ResponseGenerator {
    let page: Page<Item>

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody(value: page.items).response(from: request, context: context)
        if let next = page.next {
            response.headers[.link] = Self.nextLink(path: request.uri.path, query: request.uri.query, after: next)
        }
        return response
    }

    /// The request's own path and query, with `after` replaced by the next cursor.
    static func nextLink(path: String, query: String?, after cursor: String) -> String {
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("after=") && $0 != "after" }
        // A cursor is base64url: nothing in it needs escaping in a query.
        return "<\(path)?\((kept + ["after=\(cursor)"[...]]).joined(separator: "&"))>; rel=\"next\""
    }
}

extension Request {
    /// A listing's `?limit=` (1-500, 100 when absent) and `?after=` (the cursor of a `rel="next"` link).
    func pageRequest() throws -> PageRequest {
        let limit = try query("limit", as: Int.self)
        let after = uri.queryParameters.get("after")
        do { return try PageRequest(limit: limit, after: after) } catch { throw error.httpError }
    }
}

extension HTTPField.Name {
    /// Where the next page of a listing is (RFC 8288).
    static let link = Self("Link")!
}
