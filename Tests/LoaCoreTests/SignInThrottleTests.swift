import Foundation
import LoaCore
import Testing

/// The sign-in throttle on a hand-driven clock: free attempts, doubling waits per account and per address,
/// and what a success forgives.
@Suite struct SignInThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = SignInThrottle.Policy(freeAttempts: 5, firstDelay: .seconds(1), maximumDelay: .seconds(60))

    @Test func theFirstFailuresAreFreeThenEachDoublesTheWaitUpToTheCap() {
        var throttle = SignInThrottle(policy: policy)
        var now = start
        for _ in 0..<5 {
            #expect(throttle.wait(account: "chu-tich", address: "10.0.0.5", now: now) == nil)
            throttle.recordFailure(account: "chu-tich", address: "10.0.0.5", now: now)
        }
        #expect(throttle.wait(account: "chu-tich", address: "10.0.0.5", now: now) == nil)
        var waits: [Duration] = []
        for _ in 0..<9 {
            throttle.recordFailure(account: "chu-tich", address: "10.0.0.5", now: now)
            let wait = throttle.wait(account: "chu-tich", address: "10.0.0.5", now: now)!
            waits.append(wait)
            now = now.addingTimeInterval(wait.timeInterval)
            #expect(throttle.wait(account: "chu-tich", address: "10.0.0.5", now: now) == nil)
        }
        #expect(waits == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    @Test func theAccountIsThrottledFromAnyAddressAndTheAddressForAnyAccount() {
        var throttle = SignInThrottle(policy: policy)
        for _ in 0..<6 { throttle.recordFailure(account: "chu-tich", address: "10.0.0.5", now: start) }
        #expect(throttle.wait(account: "chu-tich", address: "192.168.1.7", now: start) != nil)
        #expect(throttle.wait(account: "CHU-TICH", address: "192.168.1.7", now: start) != nil)
        #expect(throttle.wait(account: "can-bo-van-hoa", address: "10.0.0.5", now: start) != nil)
        #expect(throttle.wait(account: "can-bo-van-hoa", address: "192.168.1.7", now: start) == nil)
    }

    @Test func aSuccessForgivesTheAccountButNotTheAddress() {
        var throttle = SignInThrottle(policy: policy)
        for _ in 0..<6 { throttle.recordFailure(account: "ke-gian", address: "10.0.0.5", now: start) }
        throttle.recordSuccess(account: "ke-gian")
        #expect(throttle.failures(account: "ke-gian") == 0)
        #expect(throttle.wait(account: "ke-gian", address: "10.0.0.6", now: start) == nil)
        #expect(throttle.wait(account: "ke-gian", address: "10.0.0.5", now: start) != nil)
    }

    @Test func aQuietKeyStartsOverAndTheTableStaysBounded() {
        var throttle = SignInThrottle(policy: .init(freeAttempts: 1, maximumDelay: .seconds(60), capacity: 100))
        for _ in 0..<3 { throttle.recordFailure(account: "a", address: "x", now: start) }
        let later = start.addingTimeInterval(throttle.policy.forgetAfter + 1)
        #expect(throttle.wait(account: "a", address: "x", now: later) == nil)
        throttle.recordFailure(account: "a", address: "x", now: later)
        #expect(throttle.failures(account: "a") == 1)
        for index in 0..<1_000 {
            throttle.recordFailure(
                account: "u\(index)",
                address: "10.1.\(index)",
                now: later.addingTimeInterval(Double(index))
            )
        }
        #expect(throttle.failures(account: "u999") == 1)
        #expect(throttle.failures(account: "u0") == 0, "the oldest keys make room")
    }
}
