import Foundation
import LoaCore
import Logging

/// The controller's own alerts go out the way receivers' do (`{root}/alerts` and the webhook), with no
/// receivers and no debounce (docs/protocol.md, "Alert").
extension ReceiverMonitorService: ControllerAlerting {
    public func raise(_ kind: ReceiverAlert.Kind, summary: String, broadcast: Int64?) {
        let at = clock.now().microsecondsSince1970
        let alert = ReceiverAlert(
            id: "\(topics.site)-\(kind.rawValue)-\(at)",
            site: topics.site,
            at: at,
            kind: kind,
            summary: summary,
            receivers: [],
            broadcast: broadcast
        )
        let level: Logger.Level = alert.severity == .ok ? .notice : .critical
        var metadata: Logger.Metadata = [
            "alert.kind": "\(kind.rawValue)", "alert.id": "\(alert.id)", "alert.summary": "\(summary)",
        ]
        if let broadcast { metadata["broadcast.id"] = "\(broadcast)" }
        logger.log(level: level, "controller.alert", metadata: metadata)
        deliver(alert)
    }
}

extension ControllerAlerting {
    /// Alerts that the broadcast log cannot be written (`failure` says why), or can again (nil).
    func raiseStoreWrites(failure: String?) {
        if let failure {
            raise(
                .storeWriteFailed,
                summary:
                    "the broadcast log cannot be written (\(failure)); outcomes wait in memory and broadcasts go on; free space in the state dir",
                broadcast: nil
            )
        } else {
            raise(
                .storeWriteRecovered,
                summary: "the broadcast log is written again; the outcomes kept in memory are written",
                broadcast: nil
            )
        }
    }
}
