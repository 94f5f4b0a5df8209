/// The answer to `POST /api/v1/announce`: the broadcast log entry to follow, and what in its text the voice may
/// not read as meant (``VietnameseTextWarnings``), nil when there is none.
public struct AnnounceReceipt: Codable, Sendable, Hashable {
    public var broadcastID: Int64
    public var warnings: [String]?

    public init(broadcastID: Int64, warnings: [String]? = nil) {
        self.broadcastID = broadcastID
        self.warnings = warnings
    }
}
