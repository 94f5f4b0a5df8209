import Foundation
import LoaCore

/// One receiver's report about one broadcast, as the broadcast log files it.
public struct ReceiverReportUpdate: Sendable, Hashable {
    public let broadcast: Int64
    public let receiver: String
    public let state: BroadcastReceiverReport.State
    public let at: Date
    public let detail: String?

    public init(broadcast: Int64, receiver: String, state: BroadcastReceiverReport.State, at: Date, detail: String?) {
        self.broadcast = broadcast
        self.receiver = receiver
        self.state = state
        self.at = at
        self.detail = detail
    }
}
