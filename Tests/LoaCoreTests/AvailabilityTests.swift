import Foundation
import LoaCore
import Testing

@Suite("Receiver availability from transitions")
struct AvailabilityTests {
    let start = Date(timeIntervalSince1970: 1_764_385_200)

    func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    func t(_ from: ReceiverState, _ to: ReceiverState, _ hours: Double) -> ReceiverTransition {
        ReceiverTransition(receiver: "rx-1", from: from, to: to, at: at(hours))
    }

    @Test func shareOfReachableTime() {
        let window = DateInterval(start: at(0), end: at(24))
        let share = Availability.share(
            before: t(.unknown, .online, -5),
            transitions: [
                t(.online, .offline, 6), t(.offline, .online, 12), t(.online, .playing, 13), t(.playing, .degraded, 14),
                t(.degraded, .lost, 18),
            ],
            window: window
        )
        // Up 0-6 and 12-18: 12 of 24 hours.
        #expect(share == 0.5)
    }

    @Test func timeBeforeFirstSeenDoesNotCount() {
        let window = DateInterval(start: at(0), end: at(24))
        let share = Availability.share(
            before: nil,
            transitions: [t(.unknown, .online, 12), t(.online, .offline, 18)],
            window: window
        )
        #expect(share == 0.5)
    }

    @Test func neverObservedIsNil() {
        let window = DateInterval(start: at(0), end: at(24))
        #expect(Availability.share(before: nil, transitions: [], window: window) == nil)
        #expect(Availability.share(before: t(.online, .offline, -1), transitions: [], window: window) == 0)
        #expect(Availability.share(before: t(.offline, .online, -1), transitions: [], window: window) == 1)
    }
}
