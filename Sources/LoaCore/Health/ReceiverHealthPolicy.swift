/// When `loa health` complains about receivers: WARNING from `warnDown` receivers offline or lost, CRITICAL
/// from `criticalDown` of them or when more than `criticalShare` of the inventory is down. WARNING too when a
/// receiver's clock is off by seconds: it shows online, yet refuses every command and plays nothing.
public struct ReceiverHealthPolicy: Sendable, Hashable {
    public var warnDown: Int
    public var criticalDown: Int?
    /// 0…1; CRITICAL when the share of receivers down is above it.
    public var criticalShare: Double

    public init(warnDown: Int = 1, criticalDown: Int? = nil, criticalShare: Double = 0.5) {
        self.warnDown = warnDown
        self.criticalDown = criticalDown
        self.criticalShare = criticalShare
    }

    /// The verdict on the receivers alone.
    public func judge(_ counts: ReceiverCounts) -> MonitoringVerdict.Status {
        let byDown = judgeDown(counts)
        return counts.misclocked.isEmpty ? byDown : max(byDown, .warning)
    }

    func judgeDown(_ counts: ReceiverCounts) -> MonitoringVerdict.Status {
        let down = counts.offline + counts.lost
        guard counts.total > 0, down > 0 else { return .ok }
        if let criticalDown, down >= criticalDown { return .critical }
        if Double(down) > criticalShare * Double(counts.total) { return .critical }
        if down >= warnDown { return .warning }
        return .ok
    }

    /// The smallest number of receivers down that is CRITICAL, for perfdata.
    public func criticalThreshold(total: Int) -> Int {
        let byShare = Int((criticalShare * Double(total)).rounded(.down)) + 1
        return min(criticalDown ?? byShare, byShare)
    }
}
