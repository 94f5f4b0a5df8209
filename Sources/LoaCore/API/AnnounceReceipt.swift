/// The answer to `POST /api/v1/announce`: the broadcast log entry to follow.
public struct AnnounceReceipt: Codable, Sendable, Hashable {
    public var broadcastID: Int64

    public init(broadcastID: Int64) {
        self.broadcastID = broadcastID
    }
}
