/// What a broadcast aired to its end amounts to, judged from each target receiver's settled report: it is
/// `completed` only when every target played it, `partial` when some did, `failed` when none did (or it
/// targets no receiver at all). The log says so, and names who did not play and why.
public struct AudienceVerdict: Sendable, Hashable {
    public var outcome: BroadcastOutcome
    /// A line for the log: how many played, and who did not, with why.
    public var detail: String
    /// Whether any target acknowledged the `play` (a refusal is not an acknowledgement).
    public var anyAcknowledged: Bool
    /// Whether the operators were already told, while it was on air, that no target acknowledged it.
    public var unacknowledgedAlerted = false

    /// How many receivers that did not play are named in `detail`; the rest are counted.
    static let namedAtMost = 5

    /// Judges `reports`, one per target receiver, each settled (``BroadcastReceiverReport/State/isFinal``).
    public init(targets reports: [BroadcastReceiverReport]) {
        let played = reports.filter { $0.state.didPlay }
        let withGaps = played.filter { $0.state == .playedWithGaps }.count
        anyAcknowledged = reports.contains { $0.ackedAt != nil || $0.state.didPlay || $0.state == .cutShort }
        guard !reports.isEmpty else {
            outcome = .failed
            detail = "no receiver among its targets"
            return
        }
        outcome = played.count == reports.count ? .completed : played.isEmpty ? .failed : .partial
        var text = "played on \(played.count) of \(reports.count)"
        if withGaps > 0 { text += " (\(withGaps) with gaps)" }
        let missing = reports.filter { !$0.state.didPlay }.sorted { $0.receiver < $1.receiver }
        if !missing.isEmpty {
            let named = missing.prefix(Self.namedAtMost).map(Self.describe)
            text += "; " + named.joined(separator: ", ")
            if missing.count > named.count { text += " and \(missing.count - named.count) more" }
        }
        detail = text
    }

    /// `rx-dong-01 refused (stale)`, as the log names a receiver that did not play.
    static func describe(_ report: BroadcastReceiverReport) -> String {
        let state = report.state.rawValue.replacing("-", with: " ")
        guard let detail = report.detail, !detail.isEmpty else { return "\(report.receiver) \(state)" }
        return "\(report.receiver) \(state) (\(detail))"
    }
}
