/// One page of a listing and the cursor of the next one (nil on the last page).
///
/// Every listing of the API pages the same way: `?limit=` (default ``PageRequest/defaultLimit``, at most
/// ``PageRequest/maximumLimit``) and `?after=CURSOR`, where the cursor is opaque and names the last item of
/// the page before. The order is a key the listing keeps (a schedule's creation, a log entry's planned
/// instant), so items added while a client pages do not shift the pages it has not read yet.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

/// Where a page starts and how long it is, as a listing's query asked.
public struct PageRequest: Sendable, Hashable {
    public static let defaultLimit = 100
    public static let maximumLimit = 500

    public var limit: Int
    public var after: String?

    /// - Throws: `OperationError(.invalid)` when `limit` is outside 1…``maximumLimit``.
    public init(limit: Int? = nil, after: String? = nil) throws(OperationError) {
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw OperationError(
                .invalid,
                "limit \(limit) must be 1-\(Self.maximumLimit); follow the next link for more"
            )
        }
        self.limit = limit
        self.after = after
    }

    /// The first page of every listing, for code that wants everything a page at a time.
    public static let first = try! PageRequest()
}

/// A cursor's text: the parts of an item's sort key, base64url-encoded so clients treat it as opaque.
public enum PageCursor {
    public static func encode(_ parts: [String]) -> String {
        Data(parts.joined(separator: "\u{1F}").utf8).base64URLEncodedString()
    }

    /// The parts of `cursor`, exactly `count` of them.
    /// - Throws: `OperationError(.invalid)` when it is not a cursor this daemon gave out.
    public static func decode(_ cursor: String, parts count: Int) throws(OperationError) -> [String] {
        guard let data = Data(base64URLEncoded: cursor), let text = String(data: data, encoding: .utf8) else {
            throw invalid(cursor)
        }
        let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count else { throw invalid(cursor) }
        return parts
    }

    public static func invalid(_ cursor: String) -> OperationError {
        OperationError(.invalid, "after '\(cursor)' is not a cursor from this listing; start again without it")
    }
}

extension ScheduleManaging {
    /// Every schedule, oldest first, a page at a time.
    public func schedules() async throws(OperationError) -> [Schedule] {
        var all: [Schedule] = []
        var page = PageRequest.first
        while true {
            let fetched = try await schedules(page: page)
            all += fetched.items
            guard let next = fetched.next else { return all }
            page.after = next
        }
    }
}

extension AssetManaging {
    /// Every stored asset, by name, a page at a time.
    public func storedAssets() async throws(OperationError) -> [StoredAsset] {
        var all: [StoredAsset] = []
        var page = PageRequest.first
        while true {
            let fetched = try await storedAssets(page: page)
            all += fetched.items
            guard let next = fetched.next else { return all }
            page.after = next
        }
    }
}
