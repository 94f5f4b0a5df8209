/// The answer to `POST /api/v1/announce`: the broadcast log entry to follow, whether it went on air, and what
/// in its text the voice may not read as meant (``VietnameseTextWarnings``), nil when there is none.
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
    public var warnings: [String]?

    public init(broadcastID: Int64, state: State? = nil, detail: String? = nil, warnings: [String]? = nil) {
        self.broadcastID = broadcastID
        self.state = state
        self.detail = detail
        self.warnings = warnings
    }
}
