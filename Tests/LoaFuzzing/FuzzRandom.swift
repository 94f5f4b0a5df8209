/// SplitMix64: fast, and seeded from the run's seed, the parser and the input's index, so any one input can be
/// generated again alone (`loa-fuzz --parser NAME --seed S --index I`).
public struct FuzzRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of input `index` of `parser` in a run seeded `seed`.
    public init(seed: UInt64, parser: String, index: Int) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in parser.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        var mixer = FuzzRandom(seed: seed ^ hash)
        state = mixer.next() ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// A random element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
