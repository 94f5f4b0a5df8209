import Foundation
import LoaCore
import Synchronization

/// The daemon's live health, fed by its services and read by `GET /healthz`.
///
/// Each service reports its own part; the report is assembled on demand, so it is never stale.
public final class DaemonHealth: HealthReporting, Sendable {
    struct State {
        var brokerConnection: BusConnectionState = .connecting
        var brokerRestarts = 0
        var brokerDown: String?
        var audio = ComponentHealth(condition: .failed, summary: "starting")
        var receivers = ReceiverCounts()
        var httpListening = false
        /// Why the store refuses writes, while it does.
        var storeWriteFailure: String?
        /// The audio output has been tried once (opened, failed, or disabled).
        var audioSettled = false
        /// The last broadcast that ended, when it did not play everywhere (or missed its slot); cleared by the
        /// next one that completes.
        var broadcastProblem: String?
        /// Why the last reload of `device-configs/` was refused; cleared by the next one accepted.
        var reloadRejected: String?
        var reloadsRejected = 0
    }

    let site: String
    let brokerDescription: String
    let brokerURL: String
    let started = ContinuousClock.now
    let storeCheck: @Sendable () -> ComponentHealth
    let state = Mutex(State())
    /// The store check's last answer and when it came. The check reads the database, which waits for a free
    /// reader when listings hold them all (200 API clients, issue 12), so it runs on a thread of its own, one
    /// at a time, and health answers with the last result meanwhile: it never waits behind the store.
    let storeChecks = Mutex(StoreChecks())

    struct StoreChecks {
        var last: ComponentHealth?
        var at: ContinuousClock.Instant?
        var running = false
    }

    init(
        site: String,
        brokerDescription: String,
        brokerURL: String,
        storeCheck: @escaping @Sendable () -> ComponentHealth
    ) {
        self.site = site
        self.brokerDescription = brokerDescription
        self.brokerURL = brokerURL
        self.storeCheck = storeCheck
    }

    func brokerConnectionChanged(_ connection: BusConnectionState) {
        state.withLock { $0.brokerConnection = connection }
    }

    /// The embedded broker child died (`reason`) or came back (`nil`).
    func embeddedBrokerChanged(down reason: String?, restarted: Bool = false) {
        state.withLock {
            $0.brokerDown = reason
            if restarted { $0.brokerRestarts += 1 }
        }
    }

    /// Whether the HTTP API accepts connections (for systemd's READY=1).
    var httpListening: Bool {
        get { state.withLock { $0.httpListening } }
    }

    func httpStarted() {
        state.withLock { $0.httpListening = true }
    }

    func audioChanged(_ health: ComponentHealth) {
        state.withLock {
            $0.audio = health
            $0.audioSettled = true
        }
    }

    var audioSettled: Bool { state.withLock { $0.audioSettled } }

    /// Reloads refused since start, and whether the last one was.
    var reloads: (rejected: Int, lastRejected: Bool) {
        state.withLock { ($0.reloadsRejected, $0.reloadRejected != nil) }
    }

    /// The broadcast log's writes started failing (why), or succeed again (nil).
    func storeWritesChanged(failure: String?) {
        state.withLock { $0.storeWriteFailure = failure }
    }

    /// The scheduler logged `entry`: a partial, failed or missed broadcast is a warning until one completes.
    func broadcastLogged(_ entry: BroadcastLogEntry) {
        let problem: String?
        switch entry.outcome {
        case .completed: problem = nil
        case .partial, .failed, .missed:
            let detail = entry.detail.map { ": \($0)" } ?? ""
            problem = "broadcast \(entry.id ?? 0) '\(entry.title)' \(entry.outcome.rawValue)\(detail)"
        default: return
        }
        state.withLock { $0.broadcastProblem = problem }
    }

    /// A reload of `device-configs/` was refused (why), or accepted (nil).
    func reloadChanged(rejected reason: String?) {
        state.withLock {
            $0.reloadRejected = reason
            if reason != nil { $0.reloadsRejected += 1 }
        }
    }

    public func currentHealth() async -> HealthReport {
        let snapshot = state.withLock { $0 }
        let uptime = ContinuousClock.now - started
        return HealthReport(
            version: LoaVersion.current,
            site: site,
            broker: Self.brokerHealth(snapshot, address: brokerDescription),
            audio: snapshot.audio,
            store: Self.storeHealth(await checkedStore(), writeFailure: snapshot.storeWriteFailure),
            receivers: snapshot.receivers,
            uptimeSeconds: Int(uptime.components.seconds),
            brokerURL: brokerURL,
            warnings: Self.warnings(snapshot)
        )
    }

    static func warnings(_ state: State) -> [String]? {
        let warnings = [
            state.reloadRejected.map { "reload rejected (\($0)); still on the running configuration" },
            state.broadcastProblem,
        ].compactMap { $0 }
        return warnings.isEmpty ? nil : warnings
    }

    /// The store check's answer: the last one while it is under a second old or a newer one is on its way,
    /// else a new one, waited for only when there is none yet.
    func checkedStore() async -> ComponentHealth {
        let (last, start) = storeChecks.withLock { checks -> (ComponentHealth?, Bool) in
            let fresh = checks.at.map { ContinuousClock.now - $0 < .seconds(1) } ?? false
            if checks.last != nil, fresh || checks.running { return (checks.last, false) }
            checks.running = true
            return (checks.last, true)
        }
        if let last, !start { return last }
        let check = storeCheck
        let record: @Sendable (ComponentHealth) -> Void = { [self] result in
            self.storeChecks.withLock { $0 = StoreChecks(last: result, at: .now, running: false) }
        }
        if let last {
            Task { record((try? await BlockingCall.run { check() }) ?? last) }
            return last
        }
        let result =
            (try? await BlockingCall.run { check() })
            ?? ComponentHealth(condition: .failed, summary: "check failed")
        record(result)
        return result
    }

    /// The store as its check sees it (read-only, say), unless only writes are failing: then failed, with why,
    /// since the check only reads.
    static func storeHealth(_ checked: ComponentHealth, writeFailure: String?) -> ComponentHealth {
        guard let writeFailure, checked.condition != .failed else { return checked }
        return ComponentHealth(
            condition: .failed,
            summary: "cannot write (\(writeFailure)); broadcast outcomes are kept in memory until it can",
            detail: checked.detail
        )
    }

    static func brokerHealth(_ state: State, address: String) -> ComponentHealth {
        let detail = state.brokerRestarts > 0 ? "\(address), restarted \(state.brokerRestarts)×" : address
        if let down = state.brokerDown {
            return ComponentHealth(condition: .failed, summary: "down (\(down))", detail: detail)
        }
        switch state.brokerConnection {
        case .connected:
            return ComponentHealth(condition: .ok, summary: "connected", detail: detail)
        case .connecting:
            return ComponentHealth(condition: .failed, summary: "connecting", detail: detail)
        case .disconnected(let reason):
            return ComponentHealth(condition: .failed, summary: "disconnected (\(reason))", detail: detail)
        }
    }
}
