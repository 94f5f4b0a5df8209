import LoaCore
import Synchronization

/// The live session's Opus packets, by their slot on the capture's 20 ms timeline, handed from the capture
/// thread to the session's sender.
final class LivePackets: Sendable {
    private struct State {
        /// The first block's capture instant (µs) and the encoder's look-ahead (µs), once known.
        var origin: (Int64, Int64)?
        var packets: [Int: [UInt8]] = [:]
        var endReason: String?
    }

    private let state = Mutex(State())
    /// At most this many slots wait (10 s): a sender that stopped taking them must not grow memory.
    static let capacity = 500

    func start(origin: Int64, lookahead: Int64) {
        state.withLock { $0.origin = (origin, lookahead) }
    }

    func add(_ packet: [UInt8], slot: Int) {
        state.withLock { state in
            guard state.packets.count < Self.capacity else { return }
            state.packets[slot] = packet
        }
    }

    func take(_ slot: Int) -> [UInt8]? {
        state.withLock { $0.packets.removeValue(forKey: slot) }
    }

    /// Drops packets for slots already sent (a block that came too late).
    func discard(below slot: Int) {
        state.withLock { state in state.packets = state.packets.filter { $0.key >= slot } }
    }

    func end(_ reason: String) {
        state.withLock { state in
            if state.endReason == nil { state.endReason = reason }
        }
    }

    var endReason: String? { state.withLock { $0.endReason } }

    /// Waits until the first block is in, up to `timeout` µs; nil when it never came or capture ended first.
    func waitForFirst(clock: any WallClock, timeout: Int64) async throws -> (origin: Int64, lookahead: Int64)? {
        let deadline = clock.nowMicroseconds() + timeout
        while clock.nowMicroseconds() < deadline {
            let (origin, ended) = state.withLock { ($0.origin, $0.endReason) }
            if let origin { return origin }
            if ended != nil { return nil }
            try await clock.sleep(untilMicroseconds: clock.nowMicroseconds() + 5_000)
        }
        return nil
    }
}
