/// Decides, one audio message at a time, whether a relayed programme airs its stream or its fallback: after
/// `deadAir` of a stream that is missing or silent, the fallback airs (the stream is lost); once the stream
/// has carried sound again for `recovery`, it airs again (restored). Pure, so the decisions are tested with
/// made-up instants; the relay's streamer feeds it and acts on its events.
public struct RelayWatch: Sendable {
    /// What one message's worth of the stream held.
    public enum Input: Sendable, Hashable {
        /// Audio with sound in it.
        case sound
        /// Audio, but digital silence or close to it (a dead studio, a broken encoder).
        case silence
        /// No audio: the stream is unreachable, broken or late.
        case missing
    }

    public enum Event: Sendable, Hashable {
        /// The fallback starts; the stream has been missing or silent since `since` (µs).
        case lost(since: Int64)
        /// The stream airs again after `missingMicroseconds` without it.
        case restored(missingMicroseconds: Int64)
    }

    public let deadAir: Int64
    public let recovery: Int64
    /// Whether the fallback is airing.
    public private(set) var inFallback = false
    /// Since when the stream has been missing or silent, while it is.
    public private(set) var badSince: Int64?
    /// Since when the stream has carried sound, while the fallback airs.
    private var goodSince: Int64?
    /// Where the current gap began (its fallback airing).
    private var gapStart: Int64?
    /// Gaps that ended; ``missing(at:)`` adds the current one.
    public private(set) var closedMissing: Int64 = 0
    public private(set) var gaps = 0

    /// - Parameters:
    ///   - deadAir: how long the stream may be missing or silent before the fallback airs (µs).
    ///   - recovery: how long it must carry sound again before it replaces the fallback (µs).
    public init(deadAir: Int64, recovery: Int64 = 1_000_000) {
        self.deadAir = deadAir
        self.recovery = recovery
    }

    /// Takes what the message due at `now` (µs) found in the stream, and returns what changed, if anything.
    public mutating func observe(_ input: Input, at now: Int64) -> Event? {
        if input == .sound {
            badSince = nil
            guard inFallback else { return nil }
            let since = goodSince ?? now
            goodSince = since
            guard now - since >= recovery, let start = gapStart else { return nil }
            inFallback = false
            goodSince = nil
            gapStart = nil
            let missing = since - start
            closedMissing += missing
            return .restored(missingMicroseconds: missing)
        }
        goodSince = nil
        let since = badSince ?? now
        badSince = since
        guard !inFallback, now - since >= deadAir else { return nil }
        inFallback = true
        gapStart = since
        gaps += 1
        return .lost(since: since)
    }

    /// The time the stream has been missing in all, up to `now` for a gap still open (µs).
    public func missing(at now: Int64) -> Int64 {
        closedMissing + (gapStart.map { max(0, (goodSince ?? now) - $0) } ?? 0)
    }
}
