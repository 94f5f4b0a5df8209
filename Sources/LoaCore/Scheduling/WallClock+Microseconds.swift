/// The protocol's time base: wall-clock microseconds since 1970, as presentation times and command
/// timestamps carry them.
extension WallClock {
    /// The clock's reading in µs since 1970.
    public func nowMicroseconds() -> Int64 {
        Int64((now().timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Suspends until the clock reads `micros` (µs since 1970) or later.
    public func sleep(untilMicroseconds micros: Int64) async throws {
        try await sleep(until: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }
}
