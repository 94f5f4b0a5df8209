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
        let level: Logger.Level =
            switch alert.severity {
            case .critical: .critical
            case .warning: .warning
            case .ok: .notice
            }
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

extension ReceiverMonitorService {
    /// Waits until every receiver of the inventory that was up when the daemon stopped has been heard from
    /// since `start` (a crash took the embedded broker, and with it their connections), or `timeout` passes:
    /// a broadcast a crash cut airs again only once its receivers can hear the `play` command.
    func waitForReceiversBack(heardSince start: Date, timeout: Duration) async {
        let expected = monitor.withLock { monitor in
            monitor.statuses().filter { !$0.stranger && $0.state != .unknown && !$0.state.isDown }.map(\.id)
        }
        let deadline = ContinuousClock.now + timeout
        var missing = expected
        while true {
            missing = monitor.withLock { monitor in
                expected.filter { id in (monitor.status(of: id)?.lastSeen ?? .distantPast) < start }
            }
            if missing.isEmpty || ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        if missing.isEmpty {
            logger.info("resume.receivers-back", metadata: ["receivers": "\(expected.count)"])
        } else {
            logger.warning(
                "resume.receivers-missing",
                metadata: ["receivers.missing": "\(missing.joined(separator: ","))", "receivers": "\(expected.count)"]
            )
        }
    }
}

extension ReceiverMonitorService {
    /// The inventory's receivers `targets` covers (the ids named, for a list of receivers), and whether each
    /// is reachable now: the audience a broadcast is judged by.
    func audience(of targets: Targets) -> [String: Bool] {
        monitor.withLock { monitor in
            let receivers = monitor.inventory.receivers
            let ids: [String] =
                switch targets {
                case .all: receivers.map(\.id)
                case .zones(let zones): receivers.filter { zones.contains($0.zone) }.map(\.id)
                case .receivers(let ids): ids
                }
            return Dictionary(
                ids.map { ($0, monitor.status(of: $0)?.state.isReachable ?? false) },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }

    /// Whether the monitor judges receiver `id` offline or lost now.
    func isDown(_ id: String) -> Bool {
        monitor.withLock { $0.status(of: id)?.state.isDown ?? false }
    }
}
