import Foundation
import LoaConfiguration
import LoaCore
import Testing

@testable import LoaReceiver

/// What a receiver says of its own clock (`clockOffsetMs`), and the simulation of a wrong one.
@Suite("Receiver clock")
struct ClockOffsetEstimatorTests {
    static let synchronised = KernelClock(isSynchronised: true, offsetMicroseconds: -1_500)
    static let unsynchronised = KernelClock(isSynchronised: false, offsetMicroseconds: 0)

    @Test func anNTPSynchronisedKernelIsBelievedWithTheSimulatedShift() {
        let plain = ClockOffsetEstimator(readKernel: { Self.synchronised })
        #expect(plain.offsetMs() == -1.5)
        let shifted = ClockOffsetEstimator(shiftMicroseconds: 40_000_000, readKernel: { Self.synchronised })
        shifted.noteCommand(timestamp: 0, receivedAt: 5_000)
        #expect(shifted.offsetMs() == 39_998.5, "the kernel cannot see the shift; commands are not needed")
    }

    @Test func withoutNTPTheLeastDelayedRecentCommandCounts() {
        let estimator = ClockOffsetEstimator(readKernel: { Self.unsynchronised })
        #expect(estimator.offsetMs() == nil, "unknown, not 0")
        let start = ContinuousClock.now
        // A clock 40 s ahead, commands with 3, 12 and 1 ms of transit.
        estimator.noteCommand(timestamp: 1_000_000_000, receivedAt: 1_040_003_000, at: start)
        estimator.noteCommand(timestamp: 2_000_000_000, receivedAt: 2_040_012_000, at: start)
        estimator.noteCommand(timestamp: 3_000_000_000, receivedAt: 3_040_001_000, at: start)
        #expect(estimator.offsetMs(at: start) == 40_001)
        // Only the last three count.
        estimator.noteCommand(timestamp: 4_000_000_000, receivedAt: 4_040_020_000, at: start)
        estimator.noteCommand(timestamp: 5_000_000_000, receivedAt: 5_040_020_000, at: start)
        estimator.noteCommand(timestamp: 6_000_000_000, receivedAt: 6_040_020_000, at: start)
        #expect(estimator.offsetMs(at: start) == 40_020)
        // A clock behind: the least sample is still the least delayed.
        let behind = ClockOffsetEstimator(readKernel: { nil })
        behind.noteCommand(timestamp: 1_000_000_000, receivedAt: 960_005_000, at: start)
        behind.noteCommand(timestamp: 2_000_000_000, receivedAt: 1_960_001_000, at: start)
        #expect(behind.offsetMs(at: start) == -39_999)
        // An hour later nothing is known any more.
        #expect(estimator.offsetMs(at: start + .seconds(3_601)) == nil)
    }

    @Test func theKernelStateReads() {
        // Whatever this machine's NTP state, the call works without privilege.
        #expect(KernelClock.read() != nil)
    }

    @Test func aShiftedClockReadsAndSleepsShifted() {
        let real = SystemWallClock()
        let off = SystemWallClock(offsetMicroseconds: 40_000_000)
        let difference = off.nowMicroseconds() - real.nowMicroseconds()
        #expect(abs(difference - 40_000_000) < 1_000_000)
        #expect(abs(off.now().timeIntervalSince(real.now()) - 40) < 1)
        // A blocking sleep until 20 ms from now on the shifted clock ends 20 ms from now, not 40 s earlier.
        let target = off.nowMicroseconds() + 20_000
        off.blockingSleep(untilMicroseconds: target)
        #expect(off.nowMicroseconds() >= target)
        #expect(off.nowMicroseconds() - target < 1_000_000)
    }

    @Test(arguments: [("40", Int64(40_000_000)), ("-0.05", Int64(-50_000)), ("0", Int64(0))])
    func theSimulationFlagTakesSeconds(_ text: String, _ microseconds: Int64) throws {
        let configuration = try ReceiverConfiguration.resolve(
            arguments: [
                "--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--zone", "z",
                "--controller-key", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                "--simulate-clock-offset-s=\(text)",
            ],
            environment: [:],
            currentDirectory: NSTemporaryDirectory()
        )
        #expect(configuration.simulatedClockOffsetMicroseconds == microseconds)
    }

    @Test func theSimulationFlagRefusesADayAndMore() {
        #expect(throws: ConfigurationError.self) {
            try ReceiverConfiguration.resolve(
                arguments: [
                    "--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--zone", "z",
                    "--controller-key", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                    "--simulate-clock-offset-s", "90000",
                ],
                environment: [:],
                currentDirectory: NSTemporaryDirectory()
            )
        }
    }
}
