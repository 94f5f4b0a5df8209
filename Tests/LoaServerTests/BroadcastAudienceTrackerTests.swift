import Foundation
import LoaCore
import LoaStore
import LoaTestSupport
import Testing

@testable import LoaServer

/// Issue 13: each target's part in a broadcast, from its own events, and what is left open settled from what
/// the monitor knows.
@Suite("A broadcast's audience")
struct BroadcastAudienceTrackerTests {
    static let start = Date(timeIntervalSince1970: 1_764_385_200)
    static let startMicros = Int64(1_764_385_200) * 1_000_000

    static func event(
        _ kind: ReceiverEvent.Kind,
        after seconds: Double,
        _ session: SessionID?,
        seq: Int64? = nil
    )
        -> ReceiverEvent
    {
        ReceiverEvent(
            kind: kind,
            at: startMicros + Int64(seconds * 1_000_000),
            session: session,
            seq: seq,
            cmd: kind == .commandAccepted ? .play : nil
        )
    }

    @Test func eachTargetEndsInOneOutcomeFromItsEvidence() async throws {
        let down: Set<String> = ["rx-gone"]
        let tracker = BroadcastAudienceTracker(
            resolve: { _ in ["rx-ok": true, "rx-late": true, "rx-key": true, "rx-off": false, "rx-gone": true] },
            isDown: { down.contains($0) },
            clock: ManualClock(now: Self.start)
        )
        let session = SessionID.random()
        tracker.begin(broadcast: 7, session: session, title: "Họp", targets: .all, startMicroseconds: Self.startMicros)
        tracker.sent(play: 41, for: 7)
        for id in ["rx-ok", "rx-late", "rx-gone"] {
            tracker.record(Self.event(.commandAccepted, after: -0.5, session, seq: 41), from: id)
        }
        tracker.record(Self.event(.sessionStarted, after: 0, session), from: "rx-ok")
        tracker.record(Self.event(.sessionStarted, after: 3, session), from: "rx-late")
        tracker.record(Self.event(.sessionStarted, after: 0, session), from: "rx-gone")
        var rejection = Self.event(.commandRejected, after: -0.4, nil, seq: 41)
        rejection.reason = "bad-signature"
        tracker.record(rejection, from: "rx-key")
        tracker.record(Self.event(.sessionFinished, after: 8, session), from: "rx-ok")
        // A receiver the broadcast does not target has no part in it, whatever it reports.
        tracker.record(Self.event(.sessionStarted, after: 0, session), from: "rx-stranger")
        tracker.record(Self.event(.sessionFinished, after: 8, session), from: "rx-late")

        let verdict = try #require(await tracker.settle(broadcast: 7))
        #expect(verdict.outcome == .partial)
        #expect(
            verdict.detail
                == "played on 2 of 5 (1 with gaps); rx-gone cut short (went offline midway), rx-key refused (bad-signature), rx-off never reached (offline at the start)"
        )
        // The log gets every row: first sent, then each change, then the settled ones.
        var rows: [String: BroadcastReceiverReport] = [:]
        for update in tracker.reports.takeAll() where update.broadcast == 7 {
            rows[update.report.receiver] = update.report
        }
        #expect(rows["rx-ok"]?.state == .played)
        #expect(rows["rx-late"]?.state == .playedWithGaps)
        #expect(rows["rx-late"]?.detail == "joined 3 s late")
        #expect(rows["rx-key"]?.state == .refused)
        #expect(rows["rx-key"]?.ackedAt == nil)
        #expect(rows["rx-off"]?.state == .neverReached)
        #expect(rows["rx-gone"]?.state == .cutShort)
        #expect(rows["rx-gone"]?.ackedAt != nil)
        #expect(rows["rx-stranger"] == nil)

        // A report after the broadcast settled changes nothing.
        tracker.record(Self.event(.sessionFinished, after: 20, session), from: "rx-gone")
        #expect(tracker.reports.takeAll().isEmpty)
        #expect(tracker.broadcast(of: session) == nil)
    }

    @Test func itSettlesAsSoonAsEveryTargetReportedItsEnd() async throws {
        let tracker = BroadcastAudienceTracker(resolve: { _ in ["rx-1": true] }, clock: ManualClock(now: Self.start))
        let session = SessionID.random()
        tracker.begin(broadcast: 3, session: session, title: "Tin", targets: .all, startMicroseconds: Self.startMicros)
        tracker.record(Self.event(.commandAccepted, after: -0.5, session, seq: 1), from: "rx-1")
        tracker.record(Self.event(.sessionAborted, after: 2, session), from: "rx-1")
        let began = ContinuousClock.now
        let verdict = try #require(await tracker.settle(broadcast: 3))
        #expect(ContinuousClock.now - began < BroadcastAudienceTracker.settleGrace)
        #expect(verdict.outcome == .failed)
        #expect(verdict.detail == "played on 0 of 1; rx-1 cut short (aborted)")
        #expect(verdict.anyAcknowledged)
    }

    @Test func aBroadcastWhosePlayNeverWentOutHasNoVerdict() async {
        let tracker = BroadcastAudienceTracker()
        #expect(await tracker.settle(broadcast: 99) == nil)
    }
}
