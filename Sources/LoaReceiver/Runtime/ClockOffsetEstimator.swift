import LoaCore
import Synchronization

/// The receiver's estimate of its wall clock's offset, for telemetry's `clockOffsetMs` (docs/protocol.md,
/// "Telemetry"): reported only when known, since an offset of 0 that nobody measured hides a wrong clock.
///
/// - When the kernel says an NTP client keeps the clock synchronised, the kernel's remaining offset (plus a
///   simulated shift, which the kernel cannot see).
/// - Otherwise, from the controller's clock: every signed command carries `ts`, the controller's wall clock
///   when it signed it, so the receiver's clock at arrival minus `ts` is the offset plus the command's
///   transit (a few ms on a LAN). The least of the last few samples within the hour: transit only adds, so it is the one delayed least.
///   A command refused as stale counts: its signature was checked before its age.
/// - Else unknown.
final class ClockOffsetEstimator: Sendable {
    /// A shift of the receiver's own clock (`--simulate-clock-offset-s`), µs.
    let shiftMicroseconds: Int64
    let readKernel: @Sendable () -> KernelClock?
    /// Recent samples (offset plus transit, µs) and when each came (`ContinuousClock`, immune to the shift).
    private let samples = Mutex<[(offset: Int64, at: ContinuousClock.Instant)]>([])

    /// Samples kept.
    static let sampleCount = 3
    /// How long a sample stays good: a clock left alone drifts by about a ms an hour.
    static let sampleLifetime: Duration = .seconds(3_600)

    init(shiftMicroseconds: Int64 = 0, readKernel: @escaping @Sendable () -> KernelClock? = KernelClock.read) {
        self.shiftMicroseconds = shiftMicroseconds
        self.readKernel = readKernel
    }

    /// Takes a signed command's `ts` and the receiver's clock when it arrived (both µs since 1970).
    func noteCommand(timestamp: Int64, receivedAt now: Int64, at instant: ContinuousClock.Instant = .now) {
        samples.withLock { samples in
            samples.append((now - timestamp, instant))
            if samples.count > Self.sampleCount { samples.removeFirst(samples.count - Self.sampleCount) }
        }
    }

    /// The offset in ms (positive: this clock is ahead), or nil when it is not known.
    func offsetMs(at instant: ContinuousClock.Instant = .now) -> Double? {
        if let kernel = readKernel(), kernel.isSynchronised {
            return Double(kernel.offsetMicroseconds + shiftMicroseconds) / 1_000
        }
        let fresh = samples.withLock { samples in
            samples.filter { $0.at.duration(to: instant) < Self.sampleLifetime }.map(\.offset)
        }
        guard let least = fresh.min() else { return nil }
        return Double(least) / 1_000
    }
}
