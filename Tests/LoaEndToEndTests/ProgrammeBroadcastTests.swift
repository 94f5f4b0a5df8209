import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// A programme (chương trình) of several items in one slot, through a running `loa serve` with two real
/// receivers on its TLS field listener: it airs as one broadcast, on time (within 50 ms of its slot, by the
/// daemon's own playout timestamp), with its items in order; a change an operator makes to it waits for an
/// approver while the approved revision airs; an operator's delete waits too. (It is also the suite's check that
/// an approved slot fires on time, which FiringTests made before programmes.)
@Suite("Programmes of several items", .serialized)
struct ProgrammeBroadcastTests {
    static let operatorUser = "can-bo-van-hoa"
    static let tones = [440.0, 660.0, 880.0]

    @Test func aThreeItemProgrammeAirsAsOneBroadcastWithItsItemsInOrderWhileAnEditWaits() async throws {
        let site = try await LiveSite(label: "programme")
        defer { site.shutdown() }
        let receivers = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
        let started = try receivers.map { try site.startReceiver($0.0, zone: $0.1) }
        try #require(await site.waitUntilOnline(receivers.map(\.0)), "the receivers never came online")

        // Three recordings an ear tells apart: 440, 660 and 880 Hz, 1.5 s each.
        try await site.daemon.makeSampleAccounts()
        let fixtures = try AudioFixtures("programme")
        let files = try Self.tones.map { try fixtures.tone("tone-\(Int($0)).wav", seconds: 1.5, frequency: Int($0)) }
        let slot = Self.nextSlot(atLeast: 15)
        let added = try await site.daemon.loa(
            [
                "schedule", "add", "--title", "Chương trình sáng", "--audio", files[0], "--item", "audio:\(files[1])",
                "--item", "audio:\(files[2])", "--gap", "1", "--no-chime", "--daily", slot.time,
                "--receivers", "rx-dong-01,rx-tay-01", "--as", Self.operatorUser, "--json",
            ])
        try #require(added.status == 0, "\(added.stderr)")
        let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(added.stdout.utf8))
        #expect(schedule.announcement.items.count == 3)
        #expect(schedule.approval == .draft)

        let waiting = try await site.daemon.loa(["schedule", "list", "--waiting"])
        #expect(waiting.stdout.contains(schedule.id), "\(waiting.stdout)")
        let approved = try await site.daemon.loa(["schedule", "approve", schedule.id])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("revision 1"), "\(approved.stdout)")
        let shown = try await site.daemon.loa(["schedule", "show", schedule.id])
        #expect(shown.stdout.contains("programme  3 items, 1s apart"), "\(shown.stdout)")
        #expect(shown.stdout.contains("length"), "its length is known once approved: \(shown.stdout)")

        // The operator changes the gap before the slot: a revision that waits; revision 1 (1 s gaps) airs.
        let edited = try await site.daemon.loa([
            "schedule", "edit", schedule.id, "--gap", "4", "--as", Self.operatorUser,
        ])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stdout.contains("revision 2 waits for approval"), "\(edited.stdout)")
        #expect(edited.stdout.contains("gap between items: 1s → 4s"), "\(edited.stdout)")
        #expect(try await site.daemon.loa(["schedule", "list", "--waiting"]).stdout.contains(schedule.id))

        let airedBy = slot.instant.addingTimeInterval(60)
        var entry: BroadcastLogEntry?
        _ = await eventually(timeout: .seconds(max(30, Int(airedBy.timeIntervalSinceNow))), every: .milliseconds(500)) {
            entry = (try? await site.log())?.first { $0.scheduleID == schedule.id }
            return entry?.outcome.isFinal == true && entry?.receivers?.count == 2
        }
        let aired = try #require(entry, "the programme never aired")
        #expect(aired.outcome == .completed, "\(aired)")
        // On time: the daemon's own playout timestamp against the slot (the gateway's file PCM is paced by it).
        let lateness = try #require(aired.startedAt).timeIntervalSince(slot.instant)
        print("programme: started \(String(format: "%.1f", lateness * 1000)) ms after the slot")
        #expect(abs(lateness) <= 0.050, "started \(Int(lateness * 1000)) ms from the slot")
        #expect(aired.receivers?.allSatisfy { $0.state == .played } == true, "\(String(describing: aired.receivers))")
        #expect(aired.items == ["Chương trình sáng (1)", "tone-660.wav", "tone-880.wav"])
        #expect(try await site.log().filter { $0.scheduleID == schedule.id }.count == 1, "one broadcast, not three")
        let log = try await site.daemon.loa(["log"])
        #expect(log.stdout.contains("3. tone-880.wav"), "\(log.stdout)")

        _ = await site.stopReceivers()
        for receiver in started {
            let samples = try LiveSite.samples(receiver.output)
            let runs = Self.toneRuns(samples)
            print("programme: \(receiver.id): tones \(runs.map { "\(Int($0.hertz)) Hz at \($0.start) s" })")
            #expect(runs.map(\.hertz) == Self.tones, "\(receiver.id): items out of order or missing: \(runs)")
            // Revision 1's gap (1 s plus the item's own fade), not revision 2's 4 s.
            if runs.count == 3 {
                let gap = runs[1].start - runs[0].start - 1.5
                #expect(gap > 0.5 && gap < 2, "\(receiver.id): \(gap) s between items")
            }
        }

        // Approved now: revision 2 replaces it. Then an operator's delete waits for an approver.
        #expect(try await site.daemon.loa(["schedule", "approve", schedule.id]).status == 0)
        let revised = try await site.daemon.loa(["schedule", "show", schedule.id, "--json"])
        let stored = try APICoding.decoder().decode(Schedule.self, from: Data(revised.stdout.utf8))
        #expect(stored.revision == 2)
        #expect(stored.announcement.itemGapSeconds == 4)
        #expect(stored.pending == nil)

        let removal = try await site.daemon.loa(["schedule", "rm", schedule.id, "--as", Self.operatorUser])
        #expect(removal.status == 0, "\(removal.stderr)")
        #expect(removal.stdout.contains("waits for an approver"), "\(removal.stdout)")
        #expect(try await site.daemon.loa(["schedule", "show", schedule.id]).stdout.contains("WAITING    delete"))
        #expect(try await site.daemon.loa(["schedule", "approve", schedule.id]).status == 0)
        #expect(try await site.daemon.loa(["schedule", "show", schedule.id]).status != 0, "deleted once approved")

        let audit = try await site.daemon.loa(["audit", "--json", "--limit", "50"])
        for action in ["schedule.edit.proposed", "schedule.remove.proposed", "schedule.remove"] {
            #expect(audit.stdout.contains(action), "the audit log misses \(action)")
        }
    }

    /// The next whole minute at least `seconds` away in the site's time, as `HH:MM` and as an instant.
    static func nextSlot(atLeast seconds: TimeInterval) -> (time: String, instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        var planned = calendar.nextDate(
            after: Date().addingTimeInterval(seconds),
            matching: DateComponents(second: 0),
            matchingPolicy: .nextTime
        )!
        if planned.timeIntervalSinceNow < seconds { planned = planned.addingTimeInterval(60) }
        let parts = calendar.dateComponents([.hour, .minute], from: planned)
        return (String(format: "%02d:%02d", parts.hour!, parts.minute!), planned)
    }

    /// The tones heard in order: each run of 0.1 s windows where one of the three tones dominates, with when it
    /// starts (s into the output).
    static func toneRuns(_ samples: [Float]) -> [(hertz: Double, start: Double)] {
        let window = 4_800
        var runs: [(hertz: Double, start: Double)] = []
        var index = 0
        while index + window <= samples.count {
            let slice = samples[index..<index + window]
            if AudioSignals.rms(slice) > 0.01,
                let tone = tones.first(where: { AudioSignals.toneShare(slice, frequency: $0) > 0.8 }),
                runs.last?.hertz != tone
            {
                runs.append((tone, Double(index) / 48_000))
            }
            index += window
        }
        return runs
    }
}
