import Foundation
import LoaCore
import LoaStore
import Logging
import Synchronization

/// Who each broadcast on air targets, and what each of them reported: the evidence behind the broadcast log's
/// "played" (docs/protocol.md, "How the controller judges each target of a broadcast").
///
/// Every target receiver is in the log from the moment the `play` goes out, offline ones included. Their
/// events move them on (acknowledged, playing, played, refused…); when the broadcast ends, those that never
/// reported their end are judged from what is known (never reached, cut short), so no receiver stays
/// `playing` for good and a broadcast nobody heard is never `completed`.
final class BroadcastAudienceTracker: BroadcastAudience, Sendable {
    /// One broadcast's receivers.
    struct Audience {
        let title: String
        /// When its first sample was due, µs: a receiver that started well after it joined late.
        let startMicroseconds: Int64
        /// Every receiver it targets, and what each reported; reports from others are not filed.
        var targets: Set<String>
        var reports: [String: BroadcastReceiverReport]
        var offlineAtStart: Set<String>
        var unacknowledgedAlerted = false

        var targetReports: [BroadcastReceiverReport] { targets.compactMap { reports[$0] } }
        var allTargetsFinal: Bool { targetReports.allSatisfy(\.state.isFinal) }
    }

    struct State {
        var audiences: [Int64: Audience] = [:]
        var sessions: [SessionID: Int64] = [:]
        /// The `seq` of each `play` sent, to the broadcast it announced: a rejection names only its `seq`.
        var plays: [Int64: Int64] = [:]
    }

    /// How long after a broadcast's end its receivers' last reports are waited for.
    static let settleGrace: Duration = .seconds(5)
    /// How long after the `play` the first acknowledgement is waited for before the operators are alerted.
    static let acknowledgementWindow: Duration = .seconds(10)
    /// A receiver whose first sample came later than this after the broadcast's start joined it late.
    static let lateJoinMicroseconds: Int64 = 1_000_000

    let state = Mutex(State())
    let reports: ReceiverReportQueue
    /// The receivers `targets` covers in the inventory, and whether each is reachable now.
    let resolve: @Sendable (Targets) -> [String: Bool]
    /// Whether the monitor now judges a receiver offline or lost.
    let isDown: @Sendable (String) -> Bool
    let alerts: (any ControllerAlerting)?
    /// Told when a broadcast's `play` goes out.
    let starts: BroadcastStarts?
    let clock: any WallClock
    let logger: Logger

    init(
        reports: ReceiverReportQueue = ReceiverReportQueue(),
        resolve: @escaping @Sendable (Targets) -> [String: Bool] = { _ in [:] },
        isDown: @escaping @Sendable (String) -> Bool = { _ in false },
        alerts: (any ControllerAlerting)? = nil,
        starts: BroadcastStarts? = nil,
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "loa.audience")
    ) {
        self.reports = reports
        self.resolve = resolve
        self.isDown = isDown
        self.alerts = alerts
        self.starts = starts
        self.clock = clock
        self.logger = logger
    }

    // MARK: The streamer's side

    /// Starts following `broadcast`, streamed as `session` to `targets`: every receiver they cover is filed as
    /// sent, and one that is not reachable now is noted as offline at the start.
    func begin(broadcast: Int64, session: SessionID, title: String, targets: Targets, startMicroseconds: Int64) {
        let covered = resolve(targets)
        let now = clock.now()
        var audience = Audience(
            title: title,
            startMicroseconds: startMicroseconds,
            targets: Set(covered.keys),
            reports: [:],
            offlineAtStart: Set(covered.filter { !$0.value }.keys)
        )
        for id in covered.keys { audience.reports[id] = BroadcastReceiverReport(receiver: id, state: .sent, at: now) }
        state.withLock { state in
            state.audiences[broadcast] = audience
            state.sessions[session] = broadcast
        }
        reports.file(
            audience.reports.values.sorted { $0.receiver < $1.receiver }.map { .init(broadcast: broadcast, report: $0) }
        )
        Task { [self] in
            try? await Task.sleep(for: Self.acknowledgementWindow)
            alertIfUnacknowledged(broadcast)
        }
    }

    /// Notes the `seq` of a `play` sent for `broadcast`.
    func sent(play seq: Int64, for broadcast: Int64) {
        state.withLock { $0.plays[seq] = broadcast }
    }

    /// The broadcast log entry a session belongs to, while it is followed.
    func broadcast(of session: SessionID) -> Int64? {
        state.withLock { $0.sessions[session] }
    }

    // MARK: Receivers' events

    /// Moves `receiver`'s part on from one of its events, and files the change.
    func record(_ event: ReceiverEvent, from receiver: String) {
        // A refusal is filed at the controller's time: the receiver's clock may be what is wrong.
        let at =
            event.kind == .commandRejected ? clock.now() : Date(timeIntervalSince1970: Double(event.at) / 1_000_000)
        let update: ReceiverReportUpdate? = state.withLock { state in
            let broadcast: Int64?
            if event.kind == .commandRejected {
                broadcast = event.seq.flatMap { state.plays[$0] }
            } else {
                broadcast = event.session.flatMap { state.sessions[$0] }
            }
            // Only a receiver the broadcast targets has a part in it: anyone else's report is not filed.
            guard let broadcast, var audience = state.audiences[broadcast], var report = audience.reports[receiver]
            else { return nil }
            guard Self.apply(event, at: at, to: &report, startMicroseconds: audience.startMicroseconds) else {
                return nil
            }
            audience.reports[receiver] = report
            state.audiences[broadcast] = audience
            return ReceiverReportUpdate(broadcast: broadcast, report: report)
        }
        if let update { reports.file([update]) }
    }

    /// What `event` means for a receiver's `report`; false when it changes nothing (an `underrun` on the way,
    /// a `volume` accepted, a late report after its part ended).
    static func apply(
        _ event: ReceiverEvent,
        at: Date,
        to report: inout BroadcastReceiverReport,
        startMicroseconds: Int64
    ) -> Bool {
        switch event.kind {
        case .commandAccepted:
            guard event.cmd == .play, report.ackedAt == nil else { return false }
            report.ackedAt = at
            // A `play` refused as replayed is sent again with a fresh number: its acceptance overrides the refusal.
            if report.state == .sent || report.state == .refused {
                (report.state, report.at, report.detail) = (.acked, at, nil)
            }
        case .commandRejected:
            guard !report.state.isFinal, report.ackedAt == nil else { return false }
            (report.state, report.at, report.detail) = (.refused, at, event.reason ?? "no reason given")
        case .sessionStarted:
            guard !report.state.isFinal || report.state == .refused else { return false }
            (report.state, report.at) = (.playing, at)
            let late = event.at - startMicroseconds
            if late > lateJoinMicroseconds { report.detail = "joined \(late / 1_000_000) s late" }
        case .sessionFinished:
            guard report.state != .played, report.state != .playedWithGaps else { return false }
            var gaps = [report.detail].compactMap { $0 }
            if let concealed = event.concealed, concealed > 0 { gaps.append("concealed \(concealed)") }
            if let underruns = event.underruns, underruns > 0 { gaps.append("underruns \(underruns)") }
            if let late = event.lateFrames, late > 0 { gaps.append("late frames \(late)") }
            report.state = gaps.isEmpty ? .played : .playedWithGaps
            report.at = at
            report.detail = gaps.isEmpty ? nil : gaps.joined(separator: ", ")
        case .sessionAborted:
            guard !report.state.isFinal else { return false }
            let reason = [event.reason, event.detail].compactMap { $0 }.joined(separator: ", ")
            (report.state, report.at, report.detail) = (.cutShort, at, reason.isEmpty ? "aborted" : reason)
        case .underrun:
            return false
        }
        return true
    }

    // MARK: Settling

    func settle(broadcast: Int64) async -> AudienceVerdict? {
        let deadline = ContinuousClock.now + Self.settleGrace
        while !Task.isCancelled, ContinuousClock.now < deadline {
            let waiting = state.withLock { $0.audiences[broadcast].map { !$0.allTargetsFinal } } ?? false
            guard waiting else { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        let now = clock.now()
        guard
            let audience = state.withLock({ state -> Audience? in
                guard let audience = state.audiences.removeValue(forKey: broadcast) else { return nil }
                state.sessions = state.sessions.filter { $0.value != broadcast }
                state.plays = state.plays.filter { $0.value != broadcast }
                return audience
            })
        else { return nil }
        var settled: [ReceiverReportUpdate] = []
        var final = audience
        for (id, report) in audience.reports where !report.state.isFinal {
            let judged = judge(report, offlineAtStart: audience.offlineAtStart.contains(id), at: now)
            final.reports[id] = judged
            settled.append(.init(broadcast: broadcast, report: judged))
        }
        reports.file(settled.sorted { $0.report.receiver < $1.report.receiver })
        var verdict = AudienceVerdict(targets: final.targetReports)
        verdict.unacknowledgedAlerted = audience.unacknowledgedAlerted
        logger.info(
            "broadcast.audience-settled",
            metadata: [
                "broadcast.id": "\(broadcast)", "outcome": "\(verdict.outcome.rawValue)", "detail": "\(verdict.detail)",
            ]
        )
        return verdict
    }

    /// What a receiver that never reported its end amounts to.
    func judge(_ report: BroadcastReceiverReport, offlineAtStart: Bool, at now: Date) -> BroadcastReceiverReport {
        var judged = report
        judged.at = now
        let down = isDown(report.receiver)
        switch report.state {
        case .sent:
            judged.state = .neverReached
            judged.detail = offlineAtStart ? "offline at the start" : down ? "went offline" : "no acknowledgement"
        case .acked:
            judged.state = .cutShort
            judged.detail = down ? "went offline before it started" : "acknowledged, but never started"
        case .playing:
            judged.state = .cutShort
            judged.detail = [report.detail, down ? "went offline midway" : "no report of its end"]
                .compactMap { $0 }.joined(separator: ", ")
        default:
            break
        }
        return judged
    }

    /// Alerts the operators when no target acknowledged `broadcast`'s `play` by now, while it is still on air.
    func alertIfUnacknowledged(_ broadcast: Int64) {
        let silent: Audience? = state.withLock { state in
            guard var audience = state.audiences[broadcast], !audience.unacknowledgedAlerted,
                !audience.targetReports.contains(where: { $0.ackedAt != nil || $0.state.didPlay })
            else { return nil }
            audience.unacknowledgedAlerted = true
            state.audiences[broadcast] = audience
            return audience
        }
        guard let silent else { return }
        let seconds = Self.acknowledgementWindow.components.seconds
        let who =
            silent.targets.isEmpty
            ? "it targets no receiver"
            : "none of its \(silent.targets.count) receivers acknowledged it within \(seconds) s"
        alerts?.raise(
            .broadcastUnacknowledged,
            summary: "'\(silent.title)' is on air, but \(who)",
            broadcast: broadcast
        )
    }
}
