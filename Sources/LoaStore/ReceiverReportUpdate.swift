import Foundation
import LoaCore

/// One receiver's report about one broadcast, as the broadcast log files it: the whole row, as the controller
/// knows it now.
public struct ReceiverReportUpdate: Sendable, Hashable {
    public let broadcast: Int64
    public let report: BroadcastReceiverReport

    public init(broadcast: Int64, report: BroadcastReceiverReport) {
        self.broadcast = broadcast
        self.report = report
    }
}
