/// A deliberate protocol fault, for the conformance kit's own tests only (`--test-fault`): a receiver broken in
/// one known way, which `loa conformance` must fail naming the rule it breaks.
public enum ReceiverFault: String, Sendable, Hashable, CaseIterable {
    /// Obeys a command whatever its `seq` (replays too): breaks `command.replayed`.
    case ignoreSequence = "ignore-seq"
    /// Trims Opus pre-skip as an Ogg player would, so it plays 6.5 ms early: breaks `audio.timing`.
    case trimPreSkip = "trim-pre-skip"
    /// Plays audio whatever channel it is bound to: breaks `audio.re-aimed`.
    case acceptReAimed = "accept-re-aimed"

    /// The Opus encoder's look-ahead at 48 kHz (312 samples), in µs, rounded.
    static let preSkipMicroseconds: Int64 = 6_500
}
