/// The answer to `POST /api/v1/announce`: the broadcast log entry to follow, and whether it went on air.
public struct AnnounceReceipt: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable {
        /// Its `play` went out: receivers are starting it.
        case onAir = "on-air"
        /// It waits for a higher or equal priority broadcast on its zones to end.
        case waiting
        /// It did not start: it failed (its content could not be played), was dropped or missed; `detail`
        /// says why.
        case notStarted = "not-started"
    }

    public var broadcastID: Int64
    /// Nil from a daemon older than this field.
    public var state: State?
    public var detail: String?

    public init(broadcastID: Int64, state: State? = nil, detail: String? = nil) {
        self.broadcastID = broadcastID
        self.state = state
        self.detail = detail
    }
}
