import Foundation
import LoaCore
import LoaStore
import LoaTestSupport
import Testing

/// A month's availability for every receiver in one read (`LoaDatabase.receiverTransitions(during:)`, behind
/// `ReceiverMonitoring.availability(during:)` and the Báo cáo page): the same shares as one receiver at a time.
@Suite("Availability over a window, for every receiver at once")
struct MonthAvailabilityTests {
    static let start = Date(timeIntervalSince1970: 1_764_522_000)  // 2025-11-30T17:00:00Z, 1 Dec 00:00 in UTC+7
    static let window = DateInterval(start: start, duration: 86_400)

    static func at(hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    @Test func everyReceiversShareIsWhatItsOwnTransitionsGive() throws {
        let database = try LoaDatabase(
            path: TestBroker.makeTemporaryDirectory(prefix: "loa-availability") + "/loa.sqlite"
        )
        try database.recordReceiverTransitions([
            // Up before the window, down for six of its hours: 18 of 24 hours up.
            ReceiverTransition(receiver: "rx-a", from: .unknown, to: .online, at: Self.at(hours: -30)),
            ReceiverTransition(receiver: "rx-a", from: .online, to: .playing, at: Self.at(hours: -10)),
            ReceiverTransition(receiver: "rx-a", from: .playing, to: .offline, at: Self.at(hours: 6)),
            ReceiverTransition(receiver: "rx-a", from: .offline, to: .online, at: Self.at(hours: 12)),
            // First heard from halfway through: observed 12 hours, up all of them.
            ReceiverTransition(receiver: "rx-b", from: .unknown, to: .online, at: Self.at(hours: 12)),
            // Down since before the window and all through it.
            ReceiverTransition(receiver: "rx-c", from: .online, to: .lost, at: Self.at(hours: -2)),
            // Only after the window: not observed in it.
            ReceiverTransition(receiver: "rx-d", from: .unknown, to: .online, at: Self.at(hours: 30)),
        ])
        let (before, during) = try database.receiverTransitions(during: Self.window)
        #expect(before["rx-a"]?.to == .playing, "the last transition before the window, not the first")
        #expect(during["rx-a"]?.map(\.to) == [.offline, .online])
        #expect(before["rx-d"] == nil && during["rx-d"] == nil)

        var shares: [String: Double] = [:]
        for id in Set(before.keys).union(during.keys) {
            shares[id] = Availability.share(before: before[id], transitions: during[id] ?? [], window: Self.window)
        }
        #expect(shares == ["rx-a": 0.75, "rx-b": 1.0, "rx-c": 0.0])

        // One receiver at a time, as its own page reads it, gives the same.
        for id in ["rx-a", "rx-b", "rx-c", "rx-d"] {
            let alone = Availability.share(
                before: try database.receiverTransition(receiver: id, before: Self.window.start),
                transitions: try database.receiverTransitions(receiver: id, since: Self.window.start, limit: 1_000),
                window: Self.window
            )
            #expect(alone == shares[id], "\(id)")
        }
    }
}
