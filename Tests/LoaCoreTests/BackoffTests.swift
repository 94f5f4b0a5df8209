import LoaCore
import Testing

@Suite struct BackoffTests {
    @Test func doublesUpToTheCapAndResets() {
        var backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(2))
        let delays = (0..<6).map { _ in backoff.nextDelay() }
        #expect(delays == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(2), .seconds(2)])
        backoff.reset()
        #expect(backoff.nextDelay() == .milliseconds(250))
    }

    @Test func neverOverflowsAfterManyAttempts() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(30))
        for _ in 0..<1000 { _ = backoff.nextDelay() }
        #expect(backoff.nextDelay() == .seconds(30))
    }
}
