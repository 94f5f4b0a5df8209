/// What a live or relayed broadcast's source did while it aired, for the broadcast log: where the audio came
/// from, and how long a relayed stream was missing (its fallback airing instead), in how many gaps.
public struct SourceReport: Sendable, Hashable {
    /// `live:{device}`, or the relay's URL without any credentials in it.
    public var source: String
    public var missingMicroseconds: Int64
    public var gaps: Int

    public init(source: String, missingMicroseconds: Int64 = 0, gaps: Int = 0) {
        self.source = source
        self.missingMicroseconds = missingMicroseconds
        self.gaps = gaps
    }
}
