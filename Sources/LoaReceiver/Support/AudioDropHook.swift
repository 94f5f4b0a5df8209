import Synchronization

/// Test hook (`--test-drop-audio FRACTION`): drops that fraction of the audio messages a receiver gets,
/// before anything looks at them, as a lossy 4G link would between the broker and one receiver.
///
/// Deterministic: a SplitMix64 sequence seeded from the seed and the receiver's id, so a failing run can be
/// repeated exactly and simulated receivers lose different messages.
final class AudioDropHook: Sendable {
    let fraction: Double
    private let state: Mutex<(generator: UInt64, dropped: Int)>

    init(fraction: Double, seed: UInt64, receiver id: String) {
        self.fraction = fraction
        // FNV-1a of the id, mixed with the seed.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = Mutex((seed ^ hash, 0))
    }

    /// Whether to drop the next message.
    func shouldDrop() -> Bool {
        state.withLock { state in
            state.generator &+= 0x9e37_79b9_7f4a_7c15
            var z = state.generator
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            z ^= z >> 31
            let drop = Double(z >> 11) / Double(1 << 53) < fraction
            if drop { state.dropped += 1 }
            return drop
        }
    }

    var dropped: Int { state.withLock { $0.dropped } }
}
